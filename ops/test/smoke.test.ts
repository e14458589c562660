// The whole monitored stack on loopback: the relay (built), Caddy in front of
// it with ops/caddy/Caddyfile, the node exporter with production's flags and
// a Prometheus scraping them with config.alloy's jobs and relabel rules every
// second. A bounded mix of traffic goes through Caddy; then every PromQL
// expression of the dashboard and of the rules is evaluated against that
// Prometheus and must return data without error.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeB64u } from '@psst/protocol/b64u';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test-support/ports';
import { createTestSecret, TEST_KDF as kdf, type RunningRelay, sealTestSecret, startRelay } from '../../test-support/relay';
import { parseAlloy, toPrometheusScrapeConfigs } from './support/alloy';
import { type Daemon, opsDir, repoDir, requireTool, startCaddy, startDaemon, waitFor, waitForHttp } from './support/tools';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** Everything that must never reach a log: ids, tokens, a query-string marker. */
const secretsSeen: string[] = [];
const QUERY_MARKER = 'querymarker7f3a';

let scratch = '';
let relay: RunningRelay | undefined;
const daemons: Daemon[] = [];
let edge = '';
let prometheusUrl = '';
let caddyAdmin = '';
let expiringCreatedAt = 0;
const statuses: Record<string, number[]> = {};

function note(what: string, status: number) {
  statuses[what] ??= [];
  statuses[what].push(status);
}

async function promQuery(
  expr: string,
): Promise<{ status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } }> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()) as never;
}

async function promValue(expr: string): Promise<number | undefined> {
  const body = await promQuery(expr);
  const v = body.data?.result[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

function authed(token: string, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${token}`, ...extra };
}

beforeAll(async () => {
  for (const built of ['relay/dist/main.js', 'reveal-page/dist/index.html']) {
    if (!existsSync(join(repoDir, built)))
      throw new Error(`${built} is missing: run \`pnpm build\` first (the smoke test runs the built relay and page)`);
  }
  requireTool('caddy'); // missing tools fail here, before anything starts
  const prometheus = requireTool('prometheus');
  const nodeExporter = requireTool('prometheus-node-exporter');
  scratch = mkdtempSync(join(tmpdir(), 'psst-ops-smoke-'));

  // Low limits so that a short test meets them: the burst is rate limited,
  // the quota fills, the sweeper runs every second. The engine is node:http,
  // the one production runs on Alpine (ops/alpine/conf.d/psst).
  relay = await startRelay({
    engine: 'node',
    env: {
      PSST_RATE_LIMIT_CREATE: '25',
      PSST_RATE_LIMIT_READ: '600',
      PSST_MAX_ACTIVE_SECRETS: '6',
      PSST_SWEEP_INTERVAL_SECONDS: '1',
    },
  });
  const relayPort = new URL(relay.origin).port;
  const metricsHostPort = new URL(relay.metricsOrigin).host;

  const [nodePort, promPort] = await Promise.all([freePort(), freePort()]);
  const caddyRun = await startCaddy({
    scratch,
    upstream: `127.0.0.1:${relayPort}`,
    webroot: join(repoDir, 'reveal-page/dist'),
    accessLog: join(scratch, 'access.log'),
  });
  const caddyDaemon = caddyRun.daemon;
  const adminPort = caddyRun.adminPort;
  edge = caddyRun.origin;
  caddyAdmin = caddyRun.admin;
  daemons.push(caddyDaemon);

  // Production's node exporter flags, on a free port.
  const confd = readFileSync(join(opsDir, 'alpine/conf.d/psst-node-exporter'), 'utf8');
  const nodeArgs = (/^NODE_EXPORTER_ARGS="(.*)"$/m.exec(confd)?.[1] ?? '').replace('127.0.0.1:9100', `127.0.0.1:${nodePort}`).split(' ');
  const nodeDaemon = startDaemon('node exporter', nodeExporter, nodeArgs);
  daemons.push(nodeDaemon);

  const scrapeConfigs = toPrometheusScrapeConfigs(parseAlloy(readFileSync(join(opsDir, 'alloy/config.alloy'), 'utf8')), {
    targets: { node: `127.0.0.1:${nodePort}`, caddy: `127.0.0.1:${adminPort}`, psst: metricsHostPort },
    scrapeInterval: '1s',
    scrapeTimeout: '1s',
    instance: 'smoke',
  });
  const promConfig = join(scratch, 'prometheus.yml');
  writeFileSync(
    promConfig,
    JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(opsDir, 'prometheus/psst.rules.yml')],
      scrape_configs: scrapeConfigs,
    }),
  );
  prometheusUrl = `http://127.0.0.1:${promPort}`;
  const promDaemon = startDaemon('prometheus', prometheus, [
    `--config.file=${promConfig}`,
    `--storage.tsdb.path=${join(scratch, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--storage.tsdb.retention.time=1h',
    '--log.level=warn',
  ]);
  daemons.push(promDaemon);

  await waitForHttp(`http://127.0.0.1:${nodePort}/metrics`, nodeDaemon);
  await waitForHttp(`${prometheusUrl}/-/ready`, promDaemon);
  await waitFor('all three scrape targets up', async () => ((await promValue('sum(up)')) === 3 ? true : undefined), 30_000);

  try {
    await sendTraffic();
  } catch (err) {
    throw new Error(
      `${String(err)}\n--- relay ---\n${relay.logs().slice(-4000)}\n--- caddy ---\n${caddyDaemon.output().slice(-4000)}\n--- access log ---\n${readFileSync(join(scratch, 'access.log'), 'utf8').slice(-3000)}`,
      { cause: err },
    );
  }
}, 180_000);

async function sendTraffic() {
  // --- Traffic, all through Caddy. ---
  // Expires first (the shortest TTL the protocol allows): the sweeper must
  // erase it before the queries run.
  const expiring = await createTestSecret(edge, { text: 'expires', ttl: 60, kdf });
  expiringCreatedAt = Date.now();
  secretsSeen.push(expiring.id, expiring.accessToken, expiring.manageToken);

  // Created, looked at (with a Referer and a query string), revealed, read again.
  for (let i = 0; i < 4; i++) {
    const s = await createTestSecret(edge, { text: `hello ${i}`, ttl: 3600, views: i === 0 ? 2 : 1, kdf });
    secretsSeen.push(s.id, s.accessToken, s.manageToken);
    const page = await fetch(`${edge}/s/${s.id}?${QUERY_MARKER}=1`, { headers: { referer: `${edge}/s/${s.id}` } });
    note('page', page.status);
    await page.arrayBuffer();
    const look = await fetch(`${edge}/api/secrets/${s.id}?${QUERY_MARKER}=1`, {
      headers: authed(s.accessToken, { referer: `${edge}/s/${s.id}` }),
    });
    note('look', look.status);
    await look.arrayBuffer();
    for (let r = 0; r < (i === 0 ? 3 : 2); r++) {
      const reveal = await fetch(`${edge}/api/secrets/${s.id}/reveal`, {
        method: 'POST',
        headers: authed(s.accessToken, { 'content-type': 'application/json' }),
        body: '{}',
      });
      note('reveal', reveal.status);
      await reveal.arrayBuffer();
    }
    const receipt = await fetch(`${edge}/api/secrets/${s.id}/receipt`, { headers: authed(s.manageToken) });
    note('receipt', receipt.status);
    await receipt.arrayBuffer();
  }

  // Deleted by its creator.
  const deleted = await createTestSecret(edge, { text: 'delete me', ttl: 3600, kdf });
  secretsSeen.push(deleted.id, deleted.accessToken, deleted.manageToken);
  const del = await fetch(`${edge}/api/secrets/${deleted.id}`, { method: 'DELETE', headers: authed(deleted.manageToken) });
  note('delete', del.status);

  // Burned by five wrong passphrases.
  const guarded = await createTestSecret(edge, { text: 'guarded', passphrase: 'right horse', ttl: 3600, kdf });
  secretsSeen.push(guarded.id, guarded.accessToken, guarded.manageToken);
  for (let i = 0; i < 5; i++) {
    const wrong = await fetch(`${edge}/api/secrets/${guarded.id}/reveal`, {
      method: 'POST',
      headers: authed(guarded.accessToken, { 'content-type': 'application/json' }),
      body: JSON.stringify({ passphraseToken: encodeB64u(randomBytes(32)) }),
    });
    note('wrong passphrase', wrong.status);
    await wrong.arrayBuffer();
  }

  // 404s: unknown id, wrong access token, a file that does not exist.
  const unknownId = encodeB64u(randomBytes(16));
  secretsSeen.push(unknownId);
  note('unknown', (await fetch(`${edge}/api/secrets/${unknownId}`, { headers: authed(encodeB64u(randomBytes(32))) })).status);
  note('no such file', (await fetch(`${edge}/no/such/file.js`)).status);

  // Bad requests: wrong content type, malformed JSON.
  note('415', (await fetch(`${edge}/api/secrets`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' })).status);
  note(
    '400',
    (await fetch(`${edge}/api/secrets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"envelope":' })).status,
  );

  // Oversized: just over the relay's envelope limit (the relay answers 413),
  // and far over Caddy's body limit (Caddy answers 413 itself).
  const overEnvelope = JSON.stringify({
    envelope: 'A'.repeat(Math.ceil(((1_048_576 + 3) * 4) / 3)),
    accessVerifier: 'A'.repeat(43),
    ttl: 3600,
  });
  const relay413 = await fetch(`${edge}/api/secrets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: overEnvelope,
  });
  note('relay 413', relay413.status);
  await relay413.arrayBuffer();
  const edge413 = await fetch(`${edge}/api/secrets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: 'x'.repeat(2_000_000),
  });
  note('edge 413', edge413.status);
  await edge413.arrayBuffer();

  // The quota (6 active) fills: creation answers 503 storage_full.
  for (let i = 0; i < 10; i++) {
    const sealed = await sealTestSecret({ text: `fill ${i}`, ttl: 3600 });
    const res = await fetch(`${edge}/api/secrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sealed.body),
    });
    note('fill', res.status);
    const body = (await res.json()) as { id?: string; manageToken?: string };
    if (body.id) secretsSeen.push(body.id, sealed.accessToken);
    if (body.manageToken) secretsSeen.push(body.manageToken);
  }

  // A burst over the create rate limit (25/min per client, ~20 used so far):
  // however slow the machine, 60 at once exceed what a minute refills.
  const burst = await Promise.all(
    Array.from({ length: 60 }, () =>
      fetch(`${edge}/api/secrets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    ),
  );
  for (const s of burst) note('burst', s);

  // The expiring secret: the sweeper erases it once its minute is over.
  const expiresIn = expiringCreatedAt + 61_000 - Date.now();
  if (expiresIn > 0) await new Promise((r) => setTimeout(r, expiresIn));
  await waitFor(
    'the sweeper to count an expiry',
    async () => ((await promValue('sum(psst_secrets_expired_total)')) ?? 0) >= 1 || undefined,
    20_000,
  );
  // Every event is scraped: the counters Prometheus holds match the traffic.
  await waitFor(
    'Prometheus to scrape the traffic',
    async () => {
      const burned = await promValue('sum(psst_secrets_burned_total)');
      const deletedCount = await promValue('sum(psst_secrets_deleted_total)');
      const limited = await promValue('sum(psst_requests_rejected_total{reason="rate_limited"})');
      return burned && deletedCount && limited ? true : undefined;
    },
    20_000,
  );
}

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop()));
  await relay?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the traffic', () => {
  it('got the answers it was designed to get', () => {
    expect(statuses['page']).toEqual([200, 200, 200, 200]);
    expect(statuses['look']).toEqual([200, 200, 200, 200]);
    expect(statuses['reveal']).toEqual([200, 200, 410, 200, 410, 200, 410, 200, 410]);
    expect(statuses['delete']).toEqual([204]);
    expect(statuses['wrong passphrase']?.slice(0, 4)).toEqual([403, 403, 403, 403]);
    expect(statuses['unknown']).toEqual([404]);
    expect(statuses['no such file']).toEqual([404]);
    expect(statuses['415']).toEqual([415]);
    expect(statuses['400']).toEqual([400]);
    expect(statuses['relay 413']).toEqual([413]);
    expect(statuses['edge 413']).toEqual([413]);
    expect(statuses['fill']).toContain(503);
    expect(statuses['burst']).toContain(429);
  });
});

describe('caddy in front of the relay', () => {
  it('sends the security headers with the reveal page', async () => {
    const res = await fetch(`${edge}/s/${encodeB64u(randomBytes(16))}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('server')).toBeNull();
    expect(await res.text()).toBe(readFileSync(join(repoDir, 'reveal-page/dist/index.html'), 'utf8'));
  });

  it('serves the composer at / and /new with the same headers', async () => {
    const composer = readFileSync(join(repoDir, 'reveal-page/dist/composer.html'), 'utf8');
    for (const path of ['/', '/new']) {
      const res = await fetch(`${edge}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe(CSP);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(await res.text(), path).toBe(composer);
    }
  });

  it('marks API answers no-store (once), the shell no-cache and hashed assets immutable', async () => {
    const api = await fetch(`${edge}/api/secrets/${encodeB64u(randomBytes(16))}`, { headers: authed(encodeB64u(randomBytes(32))) });
    expect(api.status).toBe(404);
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(api.headers.get('content-security-policy')).toBe(CSP);
    expect(((await api.json()) as { error: string }).error).toBe('not_found');
    const shell = await fetch(`${edge}/`);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const asset = readdirSync(join(repoDir, 'reveal-page/dist/assets'))[0];
    expect(asset).toBeDefined();
    const assetRes = await fetch(`${edge}/assets/${asset}`);
    expect(assetRes.status).toBe(200);
    expect(assetRes.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers an oversized body with a JSON 413 of its own', async () => {
    const res = await fetch(`${edge}/api/secrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1_500_000),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
  });

  it('proxies the health endpoints', async () => {
    expect((await fetch(`${edge}/healthz`)).status).toBe(200);
    expect([200, 503]).toContain((await fetch(`${edge}/readyz`)).status);
  });

  it('never exposes the relay metrics', async () => {
    // The relay's metrics listener works...
    expect(await (await fetch(`${relay!.metricsOrigin}/metrics`)).text()).toContain('psst_secrets_created_total');
    // ...and no path through Caddy reaches it.
    for (const path of ['/metrics', '/api/metrics', '/metrics/', '/api/../metrics']) {
      const res = await fetch(`${edge}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('psst_');
    }
  });

  it('serves its own metrics on the loopback admin listener only', async () => {
    expect(await (await fetch(`${caddyAdmin}/metrics`)).text()).toContain('caddy_http_requests_total');
    const admin = new URL(caddyAdmin);
    expect(admin.hostname).toBe('127.0.0.1');
  });

  it('keeps secret ids, tokens, query strings and Referer out of its logs', () => {
    const access = readFileSync(join(scratch, 'access.log'), 'utf8');
    const lines = access.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(50);
    expect(access).toContain('/s/REDACTED');
    expect(access).toContain('/api/secrets/REDACTED/reveal');
    const caddyOutput = daemons.find((d) => d.name === 'caddy')!.output();
    for (const text of [access, caddyOutput]) {
      for (const secret of secretsSeen) expect(text.includes(secret), `log contains ${secret}`).toBe(false);
      expect(text).not.toContain(QUERY_MARKER);
      expect(text.toLowerCase()).not.toContain('referer');
      expect(text.toLowerCase()).not.toContain('authorization');
    }
  });
});

/** Grafana's variables, replaced as Grafana would for the last few minutes. */
function substituteVariables(expr: string, constants: Record<string, string>): string {
  let out = expr;
  for (const [name, value] of Object.entries(constants)) out = out.replaceAll(`$${name}`, value);
  return out
    .replaceAll('$__rate_interval', '5m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$__range', '5m')
    .replaceAll('$instance', '.+');
}

describe('every query', () => {
  it('of the dashboard returns data', async () => {
    const dashboard = JSON.parse(readFileSync(join(opsDir, 'grafana/psst-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets?: { expr: string; legendFormat: string }[] }[];
      templating: { list: { name: string; type: string; query: unknown }[] };
    };
    const constants = Object.fromEntries(
      dashboard.templating.list.filter((v) => v.type === 'constant').map((v) => [v.name, String(v.query)]),
    );
    const failures: string[] = [];
    let count = 0;
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        count++;
        const body = await promQuery(substituteVariables(target.expr, constants));
        if (body.status !== 'success') failures.push(`${panel.title} / ${target.legendFormat}: error ${body.error}`);
        else if (!body.data?.result.length) failures.push(`${panel.title} / ${target.legendFormat}: no data for ${target.expr}`);
        else if (/\$\w/.test(substituteVariables(target.expr, constants)))
          failures.push(`${panel.title}: unknown variable in ${target.expr}`);
      }
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(40);
  });

  it('of the recording rules returns data, and every alert expression evaluates', async () => {
    const rules = await (await fetch(`${prometheusUrl}/api/v1/rules`)).json();
    const groups = (
      rules as { data: { groups: { rules: { type: string; name: string; query: string; health: string; lastError?: string }[] }[] } }
    ).data.groups;
    const all = groups.flatMap((g) => g.rules);
    expect(all.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const rule of all) {
      if (rule.health === 'err') failures.push(`${rule.name}: ${rule.lastError}`);
      const body = await promQuery(rule.query);
      if (body.status !== 'success') failures.push(`${rule.name}: error ${body.error}`);
      else if (rule.type === 'recording' && !body.data?.result.length) failures.push(`${rule.name}: no data for ${rule.query}`);
    }
    expect(failures).toEqual([]);
  });

  it('sees the lifecycle the traffic produced', async () => {
    expect(await promValue('sum(psst_secrets_created_total)')).toBeGreaterThanOrEqual(7);
    expect(await promValue('sum(psst_secrets_revealed_total)')).toBeGreaterThanOrEqual(5);
    expect(await promValue('sum(psst_secrets_expired_total)')).toBeGreaterThanOrEqual(1);
    expect(await promValue('sum(psst_secrets_deleted_total)')).toBe(1);
    expect(await promValue('sum(psst_secrets_burned_total)')).toBe(1);
    for (const reason of [
      'rate_limited',
      'payload_too_large',
      'unsupported_media_type',
      'invalid_request',
      'storage_full',
      'wrong_passphrase',
    ]) {
      expect(await promValue(`sum(psst_requests_rejected_total{reason="${reason}"})`), reason).toBeGreaterThanOrEqual(1);
    }
    // Series per job after relabelling: the input of the free-tier budget.
    const series = await promQuery('count by (job) ({job=~"node|caddy|psst"})');
    console.log(
      'series per job after relabelling:',
      Object.fromEntries((series.data?.result ?? []).map((r) => [r.metric['job'], Number(r.value[1])])),
    );
  });
});
