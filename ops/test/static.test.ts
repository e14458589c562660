// The ops files checked by their real tools: caddy validate, promtool,
// shellcheck; the dashboard's shape; config.alloy turned into a Prometheus
// config that promtool accepts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAlloy, toPrometheusScrapeConfigs } from './support/alloy';
import { opsDir, repoDir, requireTool, run } from './support/tools';

const scratch = mkdtempSync(join(tmpdir(), 'psst-ops-static-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('caddy', () => {
  const caddyfile = join(opsDir, 'caddy/Caddyfile');
  const validate = (env: Record<string, string>) =>
    run(requireTool('caddy'), ['validate', '--config', caddyfile, '--adapter', 'caddyfile'], {
      env: { ...process.env, ...env },
      cwd: scratch,
    });

  it('validates the Caddyfile on loopback without TLS, as CI runs it', async () => {
    const result = await validate({
      PSST_SITE_ADDRESS: 'http://127.0.0.1:18080',
      PSST_RELAY_UPSTREAM: '127.0.0.1:18787',
      PSST_WEBROOT: scratch,
      PSST_CADDY_ADMIN: '127.0.0.1:12019',
      PSST_CADDY_ACCESS_LOG: join(scratch, 'access.log'),
    });
    expect(result.stderr + result.stdout).toContain('Valid configuration');
    expect(result.code).toBe(0);
  });

  it('validates the production form: a domain with TLS, behind Cloudflare', async () => {
    const result = await validate({
      PSST_SITE_ADDRESS: 'psst.example.com',
      PSST_CADDY_EDGE: 'edge-cloudflare.caddy',
      PSST_CADDY_ACCESS_LOG: join(scratch, 'access-prod.log'),
    });
    expect(result.stderr + result.stdout).toContain('Valid configuration');
    expect(result.code).toBe(0);
  });

  it('keeps the admin listener (and so /metrics) on loopback by default', () => {
    const text = readFileSync(caddyfile, 'utf8');
    expect(text).toMatch(/admin \{\$PSST_CADDY_ADMIN:127\.0\.0\.1:2019\}/);
  });
});

describe('prometheus rules', () => {
  it('pass promtool check rules', async () => {
    const result = await run(requireTool('promtool'), ['check', 'rules', join(opsDir, 'prometheus/psst.rules.yml')]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('pass their promtool unit tests', async () => {
    const result = await run(requireTool('promtool'), ['test', 'rules', 'psst.rules.test.yml'], { cwd: join(opsDir, 'prometheus/tests') });
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});

describe('shell scripts', () => {
  it('pass shellcheck, every one in the repository', async () => {
    const listed = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoDir });
    const files = listed.stdout
      .split('\n')
      .filter(Boolean)
      .filter((f) => !f.includes('node_modules/'));
    const shells: { file: string; dialect: string }[] = [];
    for (const file of files) {
      let head = '';
      try {
        head = readFileSync(join(repoDir, file), 'utf8').slice(0, 120).split('\n')[0] ?? '';
      } catch {
        continue; // deleted in the working tree
      }
      if (head.startsWith('#!/sbin/openrc-run')) shells.push({ file, dialect: 'openrc' });
      else if (/^#!.*\b(bash)\b/.test(head)) shells.push({ file, dialect: 'bash' });
      else if (/^#!.*\b(sh|dash|ash)\b/.test(head) || file.endsWith('.sh')) shells.push({ file, dialect: 'sh' });
    }
    const ours = [
      'ops/alpine/install.sh',
      'ops/alpine/build-release.sh',
      'ops/scripts/measure-budget.sh',
      'ops/alpine/openrc/psst',
      'ops/alpine/openrc/alloy',
      '.ci/run',
    ];
    for (const f of ours) expect(shells.map((s) => s.file)).toContain(f);
    const failures: string[] = [];
    for (const { file, dialect } of shells) {
      // OpenRC service scripts are POSIX sh whose variables (command,
      // pidfile, ...) are read by openrc-run itself.
      const args = dialect === 'openrc' ? ['--shell=sh', '--exclude=SC2034', file] : [file];
      const result = await run(requireTool('shellcheck'), args, { cwd: repoDir });
      if (result.code !== 0) failures.push(`${file}:\n${result.stdout}${result.stderr}`);
    }
    expect(failures).toEqual([]);
  });
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
const datasourceUid = '${datasource}';

describe('grafana dashboard', () => {
  const text = readFileSync(join(opsDir, 'grafana/psst-dashboard.json'), 'utf8');
  const dashboard = JSON.parse(text) as {
    panels: {
      id: number;
      type: string;
      title: string;
      datasource?: { uid: string };
      targets?: { expr: string; datasource: { uid: string } }[];
    }[];
    templating: { list: { name: string; type: string; query: unknown }[] };
  };

  it('is what ops/scripts/build-dashboard.mjs produces', async () => {
    const { buildDashboard } = (await import('../scripts/build-dashboard.mjs')) as { buildDashboard: () => unknown };
    expect(text).toBe(`${JSON.stringify(buildDashboard(), null, 2)}\n`);
  });

  it('takes its datasource from a variable', () => {
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(panel.datasource?.uid, panel.title).toBe(datasourceUid);
      for (const target of panel.targets ?? []) expect(target.datasource.uid, panel.title).toBe(datasourceUid);
    }
  });

  it('has a query in every panel and unique panel ids', () => {
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.length).toBeGreaterThan(20);
    for (const panel of panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.expr.trim(), panel.title).not.toBe('');
    }
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the golden signals row on top, then the VM, the edge and the relay', () => {
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(['Golden signals', 'VM', 'Edge (Caddy)', 'Relay']);
    expect(dashboard.panels[0]?.title).toBe('Golden signals');
  });
});

describe('quotas', () => {
  it('are the same numbers in /etc/conf.d/psst, the rules and the dashboard', () => {
    const confd = readFileSync(join(opsDir, 'alpine/conf.d/psst'), 'utf8');
    const storeBytes = /^export PSST_MAX_STORE_BYTES=(\d+)$/m.exec(confd)?.[1];
    const activeSecrets = /^export PSST_MAX_ACTIVE_SECRETS=(\d+)$/m.exec(confd)?.[1];
    expect(storeBytes).toBeDefined();
    expect(activeSecrets).toBeDefined();
    const rules = readFileSync(join(opsDir, 'prometheus/psst.rules.yml'), 'utf8');
    expect(rules).toContain(`max by (job) (psst_secret_store_bytes{job="psst"}) / ${storeBytes}`);
    expect(rules).toContain(`max by (job) (psst_secrets_active{job="psst"}) / ${activeSecrets}`);
    const dashboard = JSON.parse(readFileSync(join(opsDir, 'grafana/psst-dashboard.json'), 'utf8')) as {
      templating: { list: { name: string; query: unknown }[] };
    };
    const constant = (name: string) => dashboard.templating.list.find((v) => v.name === name)?.query;
    expect(constant('store_limit_bytes')).toBe(storeBytes);
    expect(constant('active_limit')).toBe(activeSecrets);
  });
});

describe('alloy config', () => {
  const blocks = parseAlloy(readFileSync(join(opsDir, 'alloy/config.alloy'), 'utf8'));

  it('scrapes the node exporter, Caddy and the relay on loopback every 60 s', () => {
    const scrapes = blocks.filter((b) => b.name === 'prometheus.scrape');
    expect(scrapes.map((s) => s.attrs['job_name'])).toEqual(['node', 'caddy', 'psst']);
    for (const s of scrapes) {
      expect(s.attrs['scrape_interval']).toBe('60s');
      const targets = s.attrs['targets'] as { __address__: string }[];
      expect(targets[0]?.__address__).toMatch(/^127\.0\.0\.1:\d+$/);
    }
  });

  it('takes every remote_write credential from the environment', () => {
    const rw = blocks.find((b) => b.name === 'prometheus.remote_write');
    const endpoint = rw?.blocks.find((b) => b.name === 'endpoint');
    expect(endpoint?.attrs['url']).toEqual({ call: 'sys.env', args: ['GRAFANA_CLOUD_PROM_URL'] });
    const auth = endpoint?.blocks.find((b) => b.name === 'basic_auth');
    expect(auth?.attrs['username']).toEqual({ call: 'sys.env', args: ['GRAFANA_CLOUD_PROM_USER'] });
    expect(auth?.attrs['password']).toEqual({ call: 'sys.env', args: ['GRAFANA_CLOUD_API_KEY'] });
  });

  it('becomes a Prometheus config that promtool accepts', async () => {
    const config = { global: { scrape_interval: '60s' }, scrape_configs: toPrometheusScrapeConfigs(blocks) };
    const file = join(scratch, 'prometheus.from-alloy.yml');
    writeFileSync(file, JSON.stringify(config, null, 2));
    const result = await run(requireTool('promtool'), ['check', 'config', file]);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});
