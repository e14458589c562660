// @vitest-environment happy-dom
// The extension's host of the reveal UI: a link of a host psst holds goes
// straight to the shared UI (with the extension's note); one of a host it does
// not hold asks for exactly that host first and requests nothing before.
import { json, recordingFetch } from '@psst/client/test-fakes';
import { t } from '@psst/i18n';
import { strings } from '@psst/reveal-ui/strings';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { RevealHost } from './RevealHost';

afterEach(cleanup);

const LINK = `https://psst.example.org/s/${'A'.repeat(22)}#${'k'.repeat(43)}`;

function mount(held: boolean, answer = false) {
  const asked: unknown[] = [];
  const fetch = recordingFetch(() => json(404, { error: 'not_found', message: 'Not found.' }));
  render(
    <RevealHost
      href={LINK}
      permissions={{
        contains: async () => held,
        request: async (request) => {
          asked.push(request);
          return answer;
        },
      }}
      env={{ fetch: fetch as unknown as typeof globalThis.fetch, forgetKey: () => {} }}
    />,
  );
  return { asked, fetch };
}

describe('the extension’s reveal page host', () => {
  it('opens a link of a held host in the shared UI, saying the extension opened it', async () => {
    const { asked, fetch } = mount(true);
    await screen.findByRole('heading', { level: 1, name: strings.notFound.title });
    expect(screen.getByText(t('revealHost.hostNote'))).toBeTruthy();
    expect(asked).toEqual([]);
    expect(fetch.requests.map((r) => r.url)).toEqual([`https://psst.example.org/api/secrets/${'A'.repeat(22)}`]);
  });

  it('asks for exactly the link’s host before anything is requested, and says so when refused', async () => {
    const { asked, fetch } = mount(false, false);
    await screen.findByRole('heading', { level: 1, name: t('revealHost.allowTitle', { host: 'psst.example.org' }) });
    expect(fetch.requests).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: t('revealHost.allow', { host: 'psst.example.org' }) }));
    await screen.findByRole('heading', { level: 1, name: t('hostAccess.refusedTitle') });
    expect(asked).toEqual([{ origins: ['https://psst.example.org/*'] }]);
    expect(fetch.requests).toEqual([]);
  });

  it('goes on to Look once allowed', async () => {
    const { fetch } = mount(false, true);
    fireEvent.click(await screen.findByRole('button', { name: t('revealHost.allow', { host: 'psst.example.org' }) }));
    await screen.findByRole('heading', { level: 1, name: strings.notFound.title });
    expect(fetch.requests).toHaveLength(1);
  });
});
