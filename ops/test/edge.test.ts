// How the client address reaches the relay through Caddy (the relay's rate
// limits are per client): with edge-direct.caddy a client-sent
// X-Forwarded-For is ignored; with edge-cloudflare.caddy CF-Connecting-IP is
// believed from Cloudflare's ranges only. The upstream is a real listener that
// echoes the X-Forwarded-For it receives.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Daemon, opsDir, startCaddy as startCaddyOn, waitFor } from './support/tools';

const scratch = mkdtempSync(join(tmpdir(), 'psst-ops-edge-'));
let upstream: Server;
let upstreamPort = 0;
const daemons: Daemon[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ xff: req.headers['x-forwarded-for'] ?? null }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const address = upstream.address();
  upstreamPort = typeof address === 'object' && address ? address.port : 0;
  // A copy of the Caddy folder in which "Cloudflare" is loopback, to see the
  // trusted path on this machine.
  const copy = join(scratch, 'cf-loopback');
  mkdirSync(copy, { recursive: true });
  for (const f of ['Caddyfile', 'edge-direct.caddy', 'edge-cloudflare.caddy', 'upstreams-one.caddy', 'upstreams-several.caddy'])
    copyFileSync(join(opsDir, 'caddy', f), join(copy, f));
  const snippet = join(copy, 'edge-cloudflare.caddy');
  const text = readFileSync(snippet, 'utf8');
  const replaced = text.replace(/@not_cloudflare not remote_ip [^\n]+/, '@not_cloudflare not remote_ip 127.0.0.0/8');
  expect(replaced).not.toBe(text);
  writeFileSync(snippet, replaced);
});

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop()));
  await new Promise((r) => upstream.close(r));
  rmSync(scratch, { recursive: true, force: true });
});

async function startCaddy(caddyDir: string, edgeFile: string, extraEnv: Record<string, string> = {}) {
  const caddy = await startCaddyOn({
    scratch,
    caddyfile: join(caddyDir, 'Caddyfile'),
    upstream: `127.0.0.1:${upstreamPort}`,
    webroot: scratch,
    accessLog: join(scratch, `access-${edgeFile}-${daemons.length}.log`),
    env: { PSST_CADDY_EDGE: edgeFile, ...extraEnv },
  });
  daemons.push(caddy.daemon);
  return caddy;
}

async function forwardedFor(origin: string, headers: Record<string, string>) {
  const res = await fetch(`${origin}/api/secrets`, { headers });
  return ((await res.json()) as { xff: string | null }).xff;
}

describe('the client address the relay sees', () => {
  it('is the TCP peer with edge-direct.caddy, whatever X-Forwarded-For the client sends', async () => {
    const { origin } = await startCaddy(join(opsDir, 'caddy'), 'edge-direct.caddy');
    expect(await forwardedFor(origin, { 'x-forwarded-for': '203.0.113.9', 'cf-connecting-ip': '203.0.113.7' })).toBe('127.0.0.1');
  });

  it('is not a forged CF-Connecting-IP from outside Cloudflare', async () => {
    const { origin } = await startCaddy(join(opsDir, 'caddy'), 'edge-cloudflare.caddy');
    expect(await forwardedFor(origin, { 'x-forwarded-for': '203.0.113.9', 'cf-connecting-ip': '203.0.113.7' })).toBe('127.0.0.1');
  });

  it("is Cloudflare's CF-Connecting-IP from Cloudflare's ranges", async () => {
    const { origin } = await startCaddy(join(scratch, 'cf-loopback'), 'edge-cloudflare.caddy');
    expect(await forwardedFor(origin, { 'x-forwarded-for': '203.0.113.9', 'cf-connecting-ip': '2001:db8::7' })).toBe('2001:db8::7');
  });
});

describe('the upstream health check', () => {
  it('marks a relay that stops answering unhealthy, and Caddy answers 503 JSON meanwhile', async () => {
    // A relay stand-in of its own, so that stopping it leaves the other tests alone.
    const relay = createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const address = relay.address();
    const relayPort = typeof address === 'object' && address ? address.port : 0;
    const saved = upstreamPort;
    upstreamPort = relayPort;
    const { origin, admin } = await startCaddy(join(opsDir, 'caddy'), 'edge-direct.caddy', { PSST_EDGE_HEALTH_INTERVAL: '500ms' });
    upstreamPort = saved;
    const healthy = async () => {
      const text = await (await fetch(`${admin}/metrics`)).text();
      return /^caddy_reverse_proxy_upstreams_healthy\{upstream="127\.0\.0\.1:\d+"\} (\d)/m.exec(text)?.[1];
    };
    expect(await waitFor('a healthy upstream', async () => ((await healthy()) === '1' ? true : undefined))).toBe(true);
    relay.closeAllConnections();
    await new Promise((r) => relay.close(r));
    // The health checker takes the relay out at once: 503, not a 502 after a failed dial.
    const res = await waitFor('Caddy to answer 503', async () => {
      const r = await fetch(`${origin}/api/secrets/x`);
      return r.status === 503 ? r : undefined;
    });
    // Caddy 2.6 refreshes the gauge on its own 10-second tick.
    expect(await waitFor('the upstream gauge at 0', async () => ((await healthy()) === '0' ? true : undefined), 25_000)).toBe(true);
    expect(((await res.json()) as { error: string }).error).toBe('internal');
  });
});
