// @vitest-environment happy-dom
// Every state of the page, rendered with happy-dom against a fake relay that
// implements Look and Reveal (only fetch is replaced; the crypto is real).
import { t } from '@psst/i18n';
import { useLanguage } from '@psst/i18n/testing';
import { encodeB64u } from '@psst/protocol/b64u';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeRelay, json, ORIGIN } from '../test/fake-relay.js';
import { App, type PageEnv } from './App.js';
import { strings } from './strings.js';

afterEach(() => {
  cleanup();
  useLanguage('en');
});

function renderPage(href: string, relay: ReturnType<typeof createFakeRelay>, extra: Partial<PageEnv> = {}) {
  const forgetKey = vi.fn<() => void>();
  const env: PageEnv = { href, fetch: relay.fetch, forgetKey, storage: window.sessionStorage, ...extra };
  const result = render(<App env={env} />);
  return { ...result, forgetKey, env };
}

const heading = (name: string | RegExp) => screen.findByRole('heading', { level: 1, name });
const revealButton = () => screen.getByRole('button', { name: strings.waiting.reveal });

/** Waits for Look's answer, clicks Reveal, and returns the heading `shown` then (the revealed text's by default). */
async function lookThenReveal(shown: string = strings.revealed.titleText) {
  await heading(strings.waiting.title);
  fireEvent.click(revealButton());
  return heading(shown);
}

describe('the reveal page', () => {
  it('says a link without its key is incomplete and requests nothing', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add();
    renderPage(link.split('#')[0] as string, relay);
    await heading(strings.incomplete.title);
    expect(relay.requests).toHaveLength(0);
  });

  it('says a damaged key is incomplete and requests nothing', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add();
    renderPage(`${link.slice(0, -5)}!!`, relay);
    await heading(strings.incomplete.title);
    expect(relay.requests).toHaveLength(0);
  });

  it('says an address that is not a secret link is not one', async () => {
    const relay = createFakeRelay();
    renderPage(`${ORIGIN}/somewhere/else#abc`, relay);
    await heading(strings.notALink.title);
    expect(relay.requests).toHaveLength(0);
  });

  it('shows what is waiting after Look, without consuming anything', async () => {
    const relay = createFakeRelay();
    const { link, id, accessToken, stored } = await relay.add();
    renderPage(link, relay);
    await heading(strings.waiting.title);
    expect(screen.getByText(strings.waiting.views(1))).toBeTruthy();
    expect(screen.getByText(/It expires in 1 hour \(/)).toBeTruthy();
    expect(screen.queryByLabelText(strings.waiting.passphraseLabel)).toBeNull();
    expect(screen.getAllByRole('button')).toHaveLength(1);
    expect(relay.requests).toEqual([
      { method: 'GET', url: `${ORIGIN}/api/secrets/${id}`, authorization: `Bearer ${accessToken}`, body: null },
    ]);
    expect(stored.viewsLeft).toBe(1);
    expect(screen.getByRole('status').textContent).toBe(strings.waiting.status(1, false));
  });

  it('reveals text exactly as sent, removes the fragment and moves focus to the result', async () => {
    const relay = createFakeRelay();
    const text = '  first line\n\tsecond line, tabbed\n\nüñí¢ødé 🔑  \n';
    const { link, id, stored } = await relay.add({ body: text });
    const { forgetKey } = renderPage(link, relay);
    const h1 = await lookThenReveal();
    expect(document.querySelector('.secret pre')?.textContent).toBe(text);
    await waitFor(() => expect(document.activeElement).toBe(h1));
    expect(screen.getByText(strings.revealed.destroyed)).toBeTruthy();
    expect(forgetKey).toHaveBeenCalledOnce();
    expect(stored.gone?.reason).toBe('read');
    expect(relay.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `GET /api/secrets/${id}`,
      `POST /api/secrets/${id}/reveal`,
    ]);
    expect(relay.requests[1]?.body).toBe('{}');
    expect(document.querySelector('p[aria-live="polite"]')?.textContent).toBe(strings.revealed.status);
  });

  it('sends one Reveal however fast the button is clicked twice', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add({ body: 'only once' });
    renderPage(link, relay);
    await heading(strings.waiting.title);
    const button = revealButton();
    // Two clicks in one task: no re-render (which would disable the button) can happen in between.
    button.click();
    button.click();
    await heading(strings.revealed.titleText);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(relay.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(document.querySelector('.secret pre')?.textContent).toBe('only once');
  });

  it('shows markup in a secret as text, never as HTML', async () => {
    const relay = createFakeRelay();
    const text = '<img src=x onerror="alert(1)"><b>bold</b>';
    const { link } = await relay.add({ body: text });
    renderPage(link, relay);
    await lookThenReveal();
    expect(document.querySelector('.secret pre')?.textContent).toBe(text);
    expect(document.querySelector('.secret img, .secret b')).toBeNull();
  });

  it('tells how many views remain when a secret allows several', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add({ views: 2 });
    renderPage(link, relay);
    await heading(strings.waiting.title);
    expect(screen.getByText(strings.waiting.views(2))).toBeTruthy();
    fireEvent.click(revealButton());
    await heading(strings.revealed.titleText);
    expect(screen.getByText(strings.revealed.viewsLeft(1))).toBeTruthy();
  });

  it('copies the text and says so, and selects it when copying fails', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add({ body: 'copy me' });
    const writeText = vi.fn<(t: string) => Promise<void>>().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('denied'));
    renderPage(link, relay, { clipboard: { writeText } });
    await lookThenReveal();
    fireEvent.click(screen.getByRole('button', { name: strings.revealed.copy }));
    await screen.findByText(strings.revealed.copiedStatus);
    expect(writeText).toHaveBeenCalledWith('copy me');
    expect(screen.getByRole('button', { name: strings.revealed.copied })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: strings.revealed.copied }));
    await screen.findByText(strings.revealed.copyFailed);
    expect(window.getSelection()?.toString()).toBe('copy me');
  });

  it('offers a file as a download under its sanitised name', async () => {
    const relay = createFakeRelay();
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
    const { link } = await relay.add({ meta: { type: 'file', name: '../../etc/\u202Egnp.exe', mime: 'image/png' }, body: bytes });
    renderPage(link, relay);
    await lookThenReveal(strings.revealed.titleFile);
    const anchor = screen.getByRole('link', { name: strings.revealed.download('gnp.exe') });
    expect(anchor.getAttribute('download')).toBe('gnp.exe');
    expect(anchor.getAttribute('href')).toMatch(/^blob:/);
    expect(screen.getByText(strings.revealed.fileInfo(300, 'image/png'))).toBeTruthy();
  });

  it('asks for the passphrase, counts wrong ones, and reveals with the right one', async () => {
    const relay = createFakeRelay();
    const { link, stored } = await relay.add({ body: 'behind a passphrase', passphrase: 'correct horse' });
    renderPage(link, relay);
    await heading(strings.waiting.title);
    expect(screen.getByText(strings.waiting.passphraseNeeded)).toBeTruthy();
    const field = screen.getByLabelText(strings.waiting.passphraseLabel) as HTMLInputElement;

    fireEvent.click(revealButton());
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(strings.waiting.passphraseEmpty));
    expect(relay.requests).toHaveLength(1);

    fireEvent.input(field, { target: { value: 'wrong horse' } });
    fireEvent.click(revealButton());
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(strings.waiting.wrongPassphrase(4)));
    expect(field.getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(stored.viewsLeft).toBe(1);

    fireEvent.input(field, { target: { value: 'correct horse' } });
    fireEvent.click(revealButton());
    await heading(strings.revealed.titleText);
    expect(document.querySelector('.secret pre')?.textContent).toBe('behind a passphrase');
    const body = JSON.parse(relay.requests.at(-1)?.body ?? '{}') as { passphraseToken?: string };
    expect(body.passphraseToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('shows scrypt progress while it derives the passphrase key, with the controls disabled', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add({ passphrase: 'pw', kdf: { log2n: 14, r: 8, p: 1 } });
    renderPage(link, relay);
    await heading(strings.waiting.title);
    fireEvent.input(screen.getByLabelText(strings.waiting.passphraseLabel), { target: { value: 'pw' } });
    fireEvent.click(revealButton());
    const progress = await screen.findByRole('progressbar');
    expect(progress.getAttribute('max')).toBe('100');
    expect(screen.getByRole('button', { name: /Checking the passphrase… \d+%/ }).hasAttribute('disabled')).toBe(true);
    expect((screen.getByLabelText(strings.waiting.passphraseLabel) as HTMLInputElement).disabled).toBe(true);
    await heading(strings.revealed.titleText);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('explains that the secret is destroyed after the last wrong passphrase', async () => {
    const relay = createFakeRelay();
    const { link, stored } = await relay.add({ passphrase: 'right' });
    stored.attemptsLeft = 1;
    renderPage(link, relay);
    await heading(strings.waiting.title);
    fireEvent.input(screen.getByLabelText(strings.waiting.passphraseLabel), { target: { value: 'wrong' } });
    fireEvent.click(revealButton());
    await heading(strings.gone.burned.title);
    expect(screen.getByText(strings.gone.burned.body())).toBeTruthy();
  });

  for (const reason of ['read', 'expired', 'deleted', 'burned'] as const) {
    it(`explains a secret that is gone because it was ${reason}`, async () => {
      const relay = createFakeRelay();
      const at = new Date(Date.now() - 2 * 3_600_000).toISOString();
      const { link } = await relay.add({ gone: { reason, at } });
      renderPage(link, relay);
      await heading(strings.gone[reason].title);
      expect(screen.getByText(strings.gone[reason].body(new Date(at)))).toBeTruthy();
      expect(screen.queryByRole('button')).toBeNull();
    });
  }

  it('says so when the relay does not know the secret (unknown id or wrong key)', async () => {
    const relay = createFakeRelay();
    const { id } = await relay.add();
    renderPage(`${ORIGIN}/s/${id}#${encodeB64u(new Uint8Array(32).fill(7))}`, relay);
    await heading(strings.notFound.title);
  });

  it('says when to retry when rate limited, and retries Look', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add();
    relay.queue(() => json(429, { error: 'rate_limited', message: 'Slow down.' }, { 'Retry-After': '42' }));
    renderPage(link, relay);
    await heading(strings.rateLimited.title);
    expect(screen.getByText(strings.rateLimited.body(42))).toBeTruthy();
    expect(screen.getByText(/42 seconds/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: strings.retry }));
    await heading(strings.waiting.title);
  });

  it('offers a retry when the relay cannot be reached', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add();
    relay.queue(() => {
      throw new TypeError('Failed to fetch');
    });
    renderPage(link, relay);
    await heading(strings.unreachable.title);
    fireEvent.click(screen.getByRole('button', { name: strings.retry }));
    await heading(strings.waiting.title);
  });

  it('treats a server error or a malformed answer as a server problem with a retry', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add();
    relay.queue(
      () => json(500, { error: 'internal', message: 'Internal error.' }),
      () => json(200, { expiresAt: 'soon', viewsLeft: 1, kdf: null }),
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
    );
    renderPage(link, relay);
    await heading(strings.serverError.title);
    fireEvent.click(screen.getByRole('button', { name: strings.retry }));
    await waitFor(() => expect(relay.requests).toHaveLength(2));
    await heading(strings.serverError.title);
    fireEvent.click(screen.getByRole('button', { name: strings.retry }));
    await waitFor(() => expect(relay.requests).toHaveLength(3));
    await heading(strings.serverError.title);
  });

  it('says the link is damaged when the envelope does not decrypt', async () => {
    const relay = createFakeRelay();
    const { link, stored } = await relay.add();
    const other = await relay.add({ body: 'someone else' });
    stored.envelope = other.stored.envelope; // right access token, wrong encryption key
    renderPage(link, relay);
    await lookThenReveal(strings.decryptFailed.title);
  });

  it('changes language in place when the host installs another: the revealed secret stays, nothing is asked again', async () => {
    const relay = createFakeRelay();
    const text = 'stays on screen\n';
    const { link } = await relay.add({ body: text });
    renderPage(link, relay);
    await lookThenReveal();
    useLanguage('fr');
    await heading(t('revealed.titleText'));
    expect(document.querySelector('.secret pre')?.textContent).toBe(text);
    expect(screen.getByRole('button', { name: t('revealed.copy') })).toBeTruthy();
    expect(relay.requests).toHaveLength(2);
  });

  it('shows the language switcher only for a host that offers one, and reports the choice', async () => {
    const relay = createFakeRelay();
    const { link } = await relay.add();
    const chosen: string[] = [];
    renderPage(link, relay, { onLanguage: (code) => chosen.push(code) });
    await heading(strings.waiting.title);
    const select = screen.getByLabelText('Language') as HTMLSelectElement;
    expect(select.value).toBe('en');
    expect([...select.options].map((o) => o.textContent)).toContain('العربية');
    fireEvent.change(select, { target: { value: 'ar' } });
    expect(chosen).toEqual(['ar']);
    cleanup();
    renderPage(link, relay);
    await heading(strings.waiting.title);
    expect(screen.queryByLabelText('Language')).toBeNull();
  });

  it('after a reload without the key, says the secret was revealed in this tab', async () => {
    const relay = createFakeRelay();
    const { link, id } = await relay.add();
    const first = renderPage(link, relay);
    await lookThenReveal();
    first.unmount();
    renderPage(`${ORIGIN}/s/${id}`, relay);
    await heading(strings.revealedHere.title);
    expect(relay.requests).toHaveLength(2);
  });
});
