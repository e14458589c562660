// @vitest-environment happy-dom

import { json, recordingFetch } from '@psst/client/test-fakes';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { type RelaySetupResult, setUpRelay } from '../lib/relay-setup';
import type { Settings } from '../lib/settings';
import { Options, type OptionsServices } from './Options';

const SETTINGS: Settings = {
  relayUrl: 'http://127.0.0.1:8787',
  defaultTtl: 3600,
  defaultViews: 1,
  autoCopy: true,
  receiptNotifications: true,
};

function fakeServices(result: RelaySetupResult) {
  const saved: [string, unknown][] = [];
  const relays: string[] = [];
  const services: OptionsServices = {
    settings: async () => SETTINGS,
    setUpRelay: async (input) => {
      relays.push(input);
      return result;
    },
    save: async (key, value) => void saved.push([key, value]),
  };
  return { services, saved, relays };
}

afterEach(cleanup);

describe('Options', () => {
  it('checks and saves the relay, and says that it answers', async () => {
    const { services, relays } = fakeServices({
      ok: true,
      relayUrl: 'https://psst.example.org',
      message: 'Saved. The relay at https://psst.example.org answers.',
    });
    render(<Options services={services} />);
    const input = (await screen.findByLabelText('Relay address')) as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'https://psst.example.org/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));
    expect(relays).toEqual(['https://psst.example.org/']);
    expect(await screen.findByText('Saved. The relay at https://psst.example.org answers.')).toBeTruthy();
    expect(input.value).toBe('https://psst.example.org');
  });

  it('shows a refusal and keeps the old address', async () => {
    const { services } = fakeServices({ ok: false, saved: false, title: 'Permission not granted', message: 'Nothing was changed.' });
    render(<Options services={services} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Save and check' }));
    expect(await screen.findByText('Permission not granted. Nothing was changed.')).toBeTruthy();
  });

  it('saves the defaults as they change', async () => {
    const { services, saved } = fakeServices({ ok: true, relayUrl: SETTINGS.relayUrl, message: '' });
    render(<Options services={services} />);
    fireEvent.change(await screen.findByLabelText('Expire after'), { target: { value: '86400' } });
    fireEvent.change(screen.getByLabelText('Views'), { target: { value: '3' } });
    fireEvent.click(screen.getByLabelText('Notify me when a link is viewed'));
    // On unless turned off: links of granted relays open in psst's own reveal page.
    const redirect = screen.getByLabelText<HTMLInputElement>(/Open psst links of my relays in psst itself/);
    expect(redirect.checked).toBe(true);
    fireEvent.click(redirect);
    await screen.findByText('Saved.');
    expect(saved).toEqual([
      ['defaultTtl', 86_400],
      ['defaultViews', 3],
      ['receiptNotifications', false],
      ['openLinksInExtension', false],
    ]);
  });

  it('refuses http:// for a relay elsewhere, with the reason, and accepts it for a relay on this computer', async () => {
    const saved: string[] = [];
    const fetch = recordingFetch(() => json(200, { status: 'ok' }));
    const permissions = { contains: async () => true, request: async () => true };
    const services: OptionsServices = {
      settings: async () => SETTINGS,
      setUpRelay: (input) => setUpRelay(input, { permissions, fetch, save: async (url) => void saved.push(url) }),
      save: async () => {},
    };
    render(<Options services={services} />);
    const input = (await screen.findByLabelText('Relay address')) as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'http://relay.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));
    expect(await screen.findByText(/Use https:\/\/ for this relay\. Over plain http:\/\/ anyone on the network/)).toBeTruthy();
    expect(saved).toEqual([]);
    expect(fetch.requests).toEqual([]);
    fireEvent.input(input, { target: { value: 'http://127.0.0.1:8787' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }));
    expect(await screen.findByText('Saved. The relay at http://127.0.0.1:8787 answers.')).toBeTruthy();
    expect(saved).toEqual(['http://127.0.0.1:8787']);
  });
});
