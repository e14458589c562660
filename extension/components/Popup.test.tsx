// @vitest-environment happy-dom

import type { HistoryEntry } from '@psst/client/history';
import { DEFAULT_RELAY_CONFIG } from '@psst/protocol/responses';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { PopupServices } from '../lib/popup-services';
import { Popup } from './Popup';

const LINK = 'http://127.0.0.1:8787/s/AbCdEfGhIjKlMnOpQrStUw#k0k0k0k0k0k0k0k0k0k0k0k0k0k0k0k0k0k0k0k0k0k';

const WAITING: HistoryEntry = {
  relayOrigin: 'http://127.0.0.1:8787',
  id: 'AbCdEfGhIjKlMnOpQrStUw',
  manageToken: 'token',
  createdAt: '2026-01-01T10:00:00.000Z',
  expiresAt: '2026-01-01T11:00:00.000Z',
  views: 1,
  viewsLeft: 1,
  state: 'waiting',
  readAt: null,
  label: 'wifi',
  nextCheckAt: '2026-01-01T10:01:00.000Z',
  checkIntervalSeconds: 60,
};

function fakeServices(over: Partial<PopupServices> = {}) {
  const calls: { create: unknown[]; copy: string[]; revoke: string[] } = { create: [], copy: [], revoke: [] };
  const services: PopupServices = {
    settings: async () => ({
      relayUrl: 'http://127.0.0.1:8787',
      defaultTtl: 3600,
      defaultViews: 1,
      autoCopy: true,
      receiptNotifications: true,
    }),
    relayConfig: async () => ({ config: DEFAULT_RELAY_CONFIG, fromRelay: true }),
    create: async (request) => {
      calls.create.push(request);
      return LINK;
    },
    copy: async (text) => void calls.copy.push(text),
    readClipboard: async () => 'from clipboard',
    revoke: async (entry) => void calls.revoke.push(entry.id),
    clearHistory: async () => {},
    history: async () => [WAITING],
    watchHistory: () => () => {},
    refreshReceipts: async () => {},
    openOptions: () => {},
    ...over,
  };
  return { services, calls };
}

afterEach(cleanup);

describe('Popup', () => {
  it('creates a link with the chosen views and passphrase, copies it and shows it once', async () => {
    const { services, calls } = fakeServices();
    render(<Popup services={services} />);
    const secret = await screen.findByLabelText('Secret');
    fireEvent.input(secret, { target: { value: 'my secret' } });
    fireEvent.input(screen.getByLabelText('Views'), { target: { value: '2' } });
    fireEvent.input(screen.getByLabelText('Passphrase (optional)'), { target: { value: 'correct horse battery staple' } });
    expect(screen.getByText(/Send the passphrase separately/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    const link = (await screen.findByLabelText('The one-time link')) as HTMLInputElement;
    expect(link.value).toBe(LINK);
    expect(calls.create).toEqual([
      { secret: { type: 'text', text: 'my secret' }, ttl: 3600, views: 2, passphrase: 'correct horse battery staple', label: '' },
    ]);
    expect(calls.copy).toEqual([LINK]);
    expect(screen.getByRole('heading', { name: 'Link copied' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show QR code' }));
    expect(screen.getByRole('img', { name: /QR code/ })).toBeTruthy();
  });

  it('shows a failure in words, with a way to the options', async () => {
    const { services } = fakeServices({
      create: async () => {
        throw new TypeError('boom');
      },
    });
    render(<Popup services={services} />);
    fireEvent.input(await screen.findByLabelText('Secret'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Something went wrong');
    // Keyboard users land on it.
    await waitFor(() => expect(document.activeElement).toBe(alert));
    // Nothing typed is lost.
    expect((screen.getByLabelText('Secret') as HTMLTextAreaElement).value).toBe('x');
  });

  it('bounds expiry and views by the relay settings', async () => {
    const config = { ...DEFAULT_RELAY_CONFIG, maxTtlSeconds: 7200, maxViews: 3 };
    const { services, calls } = fakeServices({ relayConfig: async () => ({ config, fromRelay: true }) });
    render(<Popup services={services} />);
    await screen.findByText('up to 3');
    const views = screen.getByLabelText('Views') as HTMLInputElement;
    expect(views.max).toBe('3');
    const ttl = screen.getByLabelText('Expires after') as HTMLSelectElement;
    expect([...ttl.options].map((o) => o.value)).toEqual(['300', '3600', '7200']);
    fireEvent.input(views, { target: { value: '9' } });
    fireEvent.input(screen.getByLabelText('Secret'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    await screen.findByLabelText('The one-time link');
    expect(calls.create).toMatchObject([{ views: 3 }]);
  });

  it('shares a file, says its name and size, and refuses one larger than the relay accepts', async () => {
    const config = { ...DEFAULT_RELAY_CONFIG, maxEnvelopeBytes: 4096 };
    const { services, calls } = fakeServices({ relayConfig: async () => ({ config, fromRelay: true }) });
    const { container } = render(<Popup services={services} />);
    await screen.findByText(/Up to 2 kB/);
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    const big = new File([new Uint8Array(5000)], 'big.bin', { type: 'application/octet-stream' });
    fireEvent.change(input, { target: { files: [big] } });
    expect((await screen.findByRole('alert')).textContent).toBe('This file is 5 kB: this relay accepts up to 2 kB.');
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect(calls.create).toEqual([]);
    const small = new File([new Uint8Array(1500)], 'notes 2026 ü.txt', { type: 'text/plain' });
    fireEvent.change(input, { target: { files: [small] } });
    expect(screen.getByText('notes 2026 ü.txt')).toBeTruthy();
    expect(screen.getByText('1 kB · text/plain')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create link' }));
    await screen.findByLabelText('The one-time link');
    expect(calls.create).toMatchObject([{ secret: { type: 'file', file: small } }]);
    expect(screen.getByText(/A file, notes 2026 ü.txt \(1 kB\), that can be opened once/)).toBeTruthy();
  });

  // translate and spellcheck are DOM properties happy-dom lacks: the Chromium tests check them.
  it('keeps translation and autocorrection away from the secret fields', async () => {
    const { services } = fakeServices();
    render(<Popup services={services} openLink={async () => ({ ok: true })} />);
    for (const field of [
      await screen.findByLabelText('Secret'),
      screen.getByLabelText('Passphrase (optional)'),
      screen.getByLabelText('The psst link to open'),
    ]) {
      expect(field.classList.contains('notranslate')).toBe(true);
      expect(field.getAttribute('autocomplete')).toBe('off');
      expect(field.getAttribute('autocapitalize')).toBe('off');
      expect(field.getAttribute('autocorrect')).toBe('off');
    }
  });

  it('pastes the clipboard into the composer', async () => {
    const { services } = fakeServices();
    render(<Popup services={services} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Paste clipboard' }));
    await waitFor(() => expect((screen.getByLabelText('Secret') as HTMLTextAreaElement).value).toBe('from clipboard'));
  });

  it('lists links with their state and revokes a waiting one', async () => {
    const { services, calls } = fakeServices();
    render(<Popup services={services} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke wifi' }));
    await waitFor(() => expect(calls.revoke).toEqual([WAITING.id]));
    expect(screen.getByText(/Waiting: 1 of 1 view left/)).toBeTruthy();
  });

  it('says before Clear that waiting links keep working and could no longer be revoked', async () => {
    const { services } = fakeServices();
    render(<Popup services={services} />);
    const clear = await screen.findByRole('button', { name: 'Clear history' });
    const hint = document.getElementById(clear.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toContain('can then no longer be revoked');
  });
});
