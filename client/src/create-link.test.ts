import { DEFAULT_RELAY_CONFIG } from '@psst/protocol/responses';
import { sealSecret } from '@psst/protocol/secret';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRelay, startRelay, TEST_KDF } from '../../test-support/relay.js';
import { CreateRefusedError, checkAgainstConfig, createLink, envelopeBytesFor, type SecretInput } from './create-link.js';
import { loadRelayConfig } from './relay-client.js';
import { createRelayClient } from './reveal-client.js';
import { lookUp, revealSecret } from './reveal-flow.js';
import { recordingFetch } from './test-fakes.js';

const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);

describe('envelope size before encrypting', () => {
  it('predicts the sealed envelope’s exact length, for text and files, with and without a passphrase', async () => {
    for (const size of [0, 1, 247, 248, 65_000, 65_536, 200_000]) {
      for (const passphrase of [undefined, 'pw']) {
        const meta = { type: 'file', name: 'a b.bin', mime: 'application/octet-stream' } as const;
        const sealed = await sealSecret({ meta, body: new Uint8Array(size), ...(passphrase ? { passphrase, kdf: TEST_KDF } : {}) });
        expect(envelopeBytesFor(meta, size, passphrase !== undefined)).toBe(sealed.envelope.length);
      }
    }
  });
});

describe('checks against the relay settings', () => {
  const base = { relayUrl: 'http://r', ttl: 3600, views: 1, config: DEFAULT_RELAY_CONFIG };
  const text: SecretInput = { type: 'text', text: 'x' };
  const reason = (f: () => void) => {
    try {
      f();
    } catch (error) {
      return error instanceof CreateRefusedError ? error.reason : error;
    }
    return 'accepted';
  };

  it('refuses what the relay would refuse, before encrypting', () => {
    expect(reason(() => checkAgainstConfig({ ...base, secret: text }))).toBe('accepted');
    expect(reason(() => checkAgainstConfig({ ...base, secret: { type: 'text', text: '' } }))).toBe('empty');
    expect(reason(() => checkAgainstConfig({ ...base, secret: text, config: { ...DEFAULT_RELAY_CONFIG, createEnabled: false } }))).toBe(
      'creation_disabled',
    );
    expect(reason(() => checkAgainstConfig({ ...base, secret: text, ttl: 59 }))).toBe('ttl');
    expect(reason(() => checkAgainstConfig({ ...base, secret: text, ttl: 604_801 }))).toBe('ttl');
    expect(reason(() => checkAgainstConfig({ ...base, secret: text, views: 11 }))).toBe('views');
    const big: SecretInput = { type: 'file', name: 'f', mime: 'x/y', bytes: new Uint8Array(2 ** 20) };
    expect(reason(() => checkAgainstConfig({ ...base, secret: big }))).toBe('too_large');
  });

  it('sends nothing for a refused secret', async () => {
    const fetch = recordingFetch(() => new Response(null, { status: 500 }));
    await expect(createLink(fetch, { ...base, secret: { type: 'text', text: '' } })).rejects.toBeInstanceOf(CreateRefusedError);
    expect(fetch.requests).toEqual([]);
  });
});

describe('createLink on a real relay', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay({ env: { PSST_MAX_ENVELOPE_BYTES: '131072', PSST_MAX_VIEWS: '3' } });
  });
  afterAll(() => relay?.stop());

  async function roundTrip(secret: SecretInput, passphrase = '') {
    const { config, fromRelay } = await loadRelayConfig(fetchFn, relay.origin);
    expect(fromRelay).toBe(true);
    const phases: string[] = [];
    const made = await createLink(fetchFn, {
      relayUrl: relay.origin,
      secret,
      ttl: 600,
      views: 2,
      passphrase,
      kdf: TEST_KDF,
      config,
      onPhase: (phase) => phases.push(phase),
    });
    expect(phases.at(-1)).toBe('uploading');
    expect(phases[0]).toBe(passphrase ? 'deriving' : 'encrypting');
    const { parseLink } = await import('@psst/protocol/link');
    const link = parseLink(made.link);
    expect(link.id).toBe(made.created.id);
    const client = createRelayClient(relay.origin);
    const view = await lookUp(link, client);
    if (view.kind !== 'waiting') throw new Error(`not waiting: ${view.kind}`);
    expect(view.look.viewsLeft).toBe(2);
    const outcome = await revealSecret(link, view.look, client, passphrase, () => {});
    if (!('view' in outcome) || outcome.view.kind !== 'revealed') throw new Error('not revealed');
    return outcome.view.secret;
  }

  it('round-trips text exactly, whitespace and line breaks included, with a passphrase', async () => {
    const text = '  two\r\nlines\n\ttab  ';
    expect(await roundTrip({ type: 'text', text }, 'correct horse')).toEqual({ type: 'text', text });
  });

  it('round-trips files of 0 B, 1 B and the largest the relay accepts, byte for byte', async () => {
    const { config } = await loadRelayConfig(fetchFn, relay.origin);
    const meta = { type: 'file', name: 'rapport final é.bin', mime: 'application/octet-stream' } as const;
    let largest = 0;
    while (envelopeBytesFor(meta, largest + 1, false) <= config.maxEnvelopeBytes) largest += largest < 1000 ? 1 : 1024;
    while (envelopeBytesFor(meta, largest, false) > config.maxEnvelopeBytes) largest -= 1;
    for (const size of [0, 1, largest]) {
      const bytes = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 255);
      const secret = await roundTrip({ ...meta, bytes });
      expect(secret).toEqual({ type: 'file', name: meta.name, mime: meta.mime, bytes });
    }
    const tooLarge = new Uint8Array(largest + 1);
    await expect(
      createLink(fetchFn, { relayUrl: relay.origin, secret: { ...meta, bytes: tooLarge }, ttl: 600, views: 1, config }),
    ).rejects.toMatchObject({ reason: 'too_large', limitBytes: 131_072 });
  });
});
