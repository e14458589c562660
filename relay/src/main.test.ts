// The built relay as a process (relay/dist/main.js, via test-support): the
// `listening` line, a clean exit on SIGTERM, secrets that survive a restart,
// and a configuration error that names the variable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestSecret, startRelay } from '../../test-support/relay.js';
import { call, ENGINES } from './testing/harness.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function look(origin: string, id: string, token: string) {
  const { status, json } = await call(origin, 'GET', `/api/secrets/${id}`, { token });
  return { status, json };
}

describe.each(ENGINES)('the relay process (%s)', (engine) => {
  it('keeps unexpired secrets across a SIGTERM and a restart, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'psst-restart-'));
    dirs.push(dir);
    const dbPath = join(dir, 'psst.db');
    const first = await startRelay({ engine, dbPath });
    const kept = await createTestSecret(first.origin, { views: 2 });
    const read = await createTestSecret(first.origin);
    const reveal = (origin: string, id: string, token: string) => call(origin, 'POST', `/api/secrets/${id}/reveal`, { token, body: {} });
    expect((await reveal(first.origin, kept.id, kept.accessToken)).status).toBe(200);
    expect((await reveal(first.origin, read.id, read.accessToken)).status).toBe(200);
    const listening = JSON.parse(
      first
        .logs()
        .split('\n')
        .find((line) => line.includes('"listening"')) ?? '{}',
    );
    expect(listening).toMatchObject({ level: 'info', event: 'listening', engine, host: '127.0.0.1', metricsHost: '127.0.0.1' });
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.logs()).toContain('"event":"stopped"');

    const second = await startRelay({ engine, dbPath });
    try {
      expect(await look(second.origin, kept.id, kept.accessToken)).toEqual({
        status: 200,
        json: { expiresAt: kept.expiresAt, viewsLeft: 1, kdf: null },
      });
      expect((await look(second.origin, read.id, read.accessToken)).json.reason).toBe('read');
      expect((await reveal(second.origin, read.id, read.accessToken)).status).toBe(410);
      for (const value of [kept.id, read.id, kept.accessToken, kept.manageToken]) expect(first.logs() + second.logs()).not.toContain(value);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
  });
});

describe('engine choice', () => {
  it('falls back to node:http with one log line when uWebSockets.js cannot run, unless hyper-express was asked for', async () => {
    // UWS_USE_FALLBACK makes the uWebSockets.js package load its JS imitation instead of the native binary.
    const relay = await startRelay({ env: { PSST_HTTP_ENGINE: 'auto', UWS_USE_FALLBACK: 'true' } });
    try {
      const lines = relay.logs().split('\n').filter(Boolean);
      const fallback = lines.filter((line) => line.includes('engine_fallback'));
      expect(fallback).toHaveLength(1);
      expect(JSON.parse(fallback[0] as string)).toMatchObject({ level: 'warn', event: 'engine_fallback', engine: 'node' });
      expect(JSON.parse(fallback[0] as string).reason).toMatch(/fallback/i);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(lines.find((line) => line.includes('"listening"'))).toContain('"engine":"node"');
      expect((await fetch(`${relay.origin}/healthz`)).status).toBe(200);
    } finally {
      await relay.stop();
    }
    await expect(startRelay({ env: { PSST_HTTP_ENGINE: 'hyper-express', UWS_USE_FALLBACK: 'true' } })).rejects.toThrow(
      /exited \(1\)[\s\S]*PSST_HTTP_ENGINE=hyper-express, but uWebSockets.js cannot run here/,
    );
  });
});

describe('configuration errors', () => {
  it('exit 1 with a message that names the variable', async () => {
    await expect(startRelay({ env: { PSST_PORT: 'eighty' } })).rejects.toThrow(
      /exited \(1\)[\s\S]*PSST_PORT must be a whole number from 0 to 65535 \(got "eighty"\)/,
    );
    await expect(startRelay({ env: { PSST_HTTP_ENGINE: 'apache' } })).rejects.toThrow(
      /PSST_HTTP_ENGINE must be auto, hyper-express or node/,
    );
    await expect(startRelay({ env: { PSST_TRUSTED_PROXIES: '10.0.0.0/33' } })).rejects.toThrow(
      /PSST_TRUSTED_PROXIES must be a comma-separated list of CIDRs/,
    );
  });
});
