#!/usr/bin/env node
// Writes ops/grafana/psst-dashboard.json, the Grafana dashboard, from the panel
// list below. Run `node ops/scripts/build-dashboard.mjs` after editing; the ops
// tests fail when the committed JSON differs from what this script produces,
// and run every query in it against a live Prometheus.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
const ds = { type: 'prometheus', uid: '${datasource}' };
const inst = 'instance=~"$instance"';
const node = `job="node",${inst}`;
const caddy = `job="caddy",${inst}`;
const relay = `job="psst",${inst}`;
const ri = '$__rate_interval';

const q = (expr, legendFormat = '') => ({ expr, legendFormat });

/** Relay or edge error ratio: 1 - ok/all, so it reads 0 (not "no data") before the first 5xx. */
const relayErrorRatio = `1 - (sum(rate(psst_http_requests_total{${relay},status!~"5.."}[${ri}])) / sum(rate(psst_http_requests_total{${relay}}[${ri}])))`;
const edgeErrorRatio = `1 - (sum(rate(caddy_http_request_duration_seconds_count{${caddy},code!~"5.."}[${ri}])) / sum(rate(caddy_http_requests_total{${caddy}}[${ri}])))`;
/**
 * The abuse brakes' refusal reasons (issue 14: rate limits, the caps checked before a body is read, the
 * per-client and per-network quotas, proof of work), read from the recording rule that the alert
 * PsstAbuseRefusalsSustained watches, so that the panel and the alert count the same refusals.
 */
const abuseReasons = (() => {
  const rules = readFileSync(new URL('../prometheus/psst.rules.yml', import.meta.url), 'utf8');
  const reasons = /record: instance:psst_requests_refused_abuse:rate5m\n\s*expr: .*\breason=~"([^"]+)"/.exec(rules)?.[1];
  if (!reasons) throw new Error('psst.rules.yml: no reason=~"…" in the rule instance:psst_requests_refused_abuse:rate5m');
  return reasons;
})();
const quantile = (phi, metric, sel, by = '') =>
  `histogram_quantile(${phi}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket{${sel}}[${ri}])))`;

const rows = [
  {
    title: 'Golden signals',
    panels: [
      {
        title: 'Traffic',
        unit: 'reqps',
        description: 'Requests per second at the edge (Caddy, everything) and at the relay (API, health).',
        targets: [
          q(`sum(rate(caddy_http_requests_total{${caddy}}[${ri}]))`, 'edge'),
          q(`sum(rate(psst_http_requests_total{${relay}}[${ri}]))`, 'relay'),
        ],
      },
      {
        title: 'Errors',
        unit: 'percentunit',
        description: 'Share of answers that are 5xx (edge: including proxy failures, which Caddy 2.6 records without a code).',
        targets: [q(edgeErrorRatio, 'edge 5xx ratio'), q(relayErrorRatio, 'relay 5xx ratio')],
      },
      {
        title: 'Abuse refusals',
        unit: 'reqps',
        stack: true,
        description:
          'Requests refused by the abuse brakes, by reason: rate_limited, concurrency (a client past PSST_MAX_CLIENT_REQUESTS), connections and body_buffer (the relay-wide caps: everyone is refused), client_quota, network_quota, proof_of_work. Most are refused before their body is read.',
        targets: [q(`sum by (reason) (rate(psst_requests_rejected_total{${relay},reason=~"${abuseReasons}"}[${ri}]))`, '{{reason}}')],
      },
      {
        title: 'Latency p99',
        unit: 's',
        description: '99th percentile of request duration at the edge and in the relay.',
        targets: [
          q(quantile(0.99, 'caddy_http_request_duration_seconds', caddy), 'edge p99'),
          q(quantile(0.99, 'psst_http_request_duration_seconds', relay), 'relay p99'),
        ],
      },
      {
        title: 'Saturation',
        unit: 'percentunit',
        max: 1,
        description: 'CPU, memory and root disk of the VM, and the relay storage quota, each as a share of what there is.',
        targets: [
          q(`1 - avg(rate(node_cpu_seconds_total{${node},mode="idle"}[${ri}]))`, 'CPU'),
          q(`1 - sum(node_memory_MemAvailable_bytes{${node}}) / sum(node_memory_MemTotal_bytes{${node}})`, 'memory'),
          q(
            `1 - sum(node_filesystem_avail_bytes{${node},mountpoint="/"}) / sum(node_filesystem_size_bytes{${node},mountpoint="/"})`,
            'disk /',
          ),
          q(`max(psst_secret_store_bytes{${relay}}) / $store_limit_bytes`, 'store bytes quota'),
          q(`max(psst_secrets_active{${relay}}) / $active_limit`, 'active secrets quota'),
        ],
      },
    ],
  },
  {
    title: 'VM',
    panels: [
      {
        title: 'CPU by mode',
        unit: 'percentunit',
        stack: true,
        targets: [
          q(
            `sum by (mode) (rate(node_cpu_seconds_total{${node},mode!="idle"}[${ri}])) / scalar(count(count by (cpu) (node_cpu_seconds_total{${node}})))`,
            '{{mode}}',
          ),
        ],
      },
      {
        title: 'Memory',
        unit: 'bytes',
        targets: [
          q(`sum(node_memory_MemTotal_bytes{${node}} - node_memory_MemAvailable_bytes{${node}})`, 'used'),
          q(`sum(node_memory_MemTotal_bytes{${node}})`, 'total'),
          q(`sum by (job) (process_resident_memory_bytes{${inst},job=~"psst|caddy"})`, 'RSS {{job}}'),
        ],
      },
      {
        title: 'Disk',
        unit: 'percentunit',
        max: 1,
        targets: [
          q(`1 - node_filesystem_avail_bytes{${node}} / node_filesystem_size_bytes{${node}}`, 'used {{mountpoint}}'),
          q(`rate(node_disk_io_time_seconds_total{${node}}[${ri}])`, 'busy {{device}}'),
        ],
      },
      {
        title: 'Network',
        unit: 'Bps',
        targets: [
          q(`sum by (device) (rate(node_network_receive_bytes_total{${node}}[${ri}]))`, 'in {{device}}'),
          q(`-sum by (device) (rate(node_network_transmit_bytes_total{${node}}[${ri}]))`, 'out {{device}}'),
        ],
      },
      {
        title: 'Load',
        unit: 'short',
        targets: [
          q(`node_load1{${node}}`, '1m'),
          q(`node_load5{${node}}`, '5m'),
          q(`node_load15{${node}}`, '15m'),
          q(`count(count by (cpu) (node_cpu_seconds_total{${node}}))`, 'CPUs'),
        ],
      },
      {
        title: 'Process CPU',
        unit: 'percentunit',
        targets: [q(`sum by (job) (rate(process_cpu_seconds_total{${inst},job=~"psst|caddy"}[${ri}]))`, '{{job}}')],
      },
    ],
  },
  {
    title: 'Edge (Caddy)',
    panels: [
      {
        title: 'Requests by status class',
        unit: 'reqps',
        stack: true,
        targets: [
          q(
            `sum by (class) (label_replace(rate(caddy_http_request_duration_seconds_count{${caddy}}[${ri}]), "class", "\${1}xx", "code", "(.).*"))`,
            '{{class}}',
          ),
          // Proxy failures (relay unreachable) have no code in Caddy 2.6; absent until the first one.
          q(`sum(rate(caddy_http_request_errors_total{${caddy}}[${ri}])) or vector(0)`, 'proxy errors'),
        ],
      },
      { title: 'Edge error ratio', unit: 'percentunit', targets: [q(edgeErrorRatio, '5xx + proxy errors')] },
      {
        title: 'Edge latency',
        unit: 's',
        targets: [0.5, 0.95, 0.99].map((p) => q(quantile(p, 'caddy_http_request_duration_seconds', caddy), `p${p * 100}`)),
      },
      {
        title: 'Upstream health',
        unit: 'short',
        max: 1,
        description: '1 when Caddy can reach the relay.',
        targets: [
          q(`min by (upstream) (caddy_reverse_proxy_upstreams_healthy{${caddy}})`, '{{upstream}}'),
          q(`up{job=~"psst|caddy|node",${inst}}`, 'scrape {{job}}'),
        ],
      },
      { title: 'In flight', unit: 'short', targets: [q(`sum(caddy_http_requests_in_flight{${caddy}})`, 'in flight')] },
    ],
  },
  {
    title: 'Relay',
    panels: [
      {
        title: 'Request rate by route',
        unit: 'reqps',
        targets: [q(`sum by (route) (rate(psst_http_requests_total{${relay}}[${ri}]))`, '{{route}}')],
      },
      {
        title: 'Answers by status',
        unit: 'reqps',
        stack: true,
        targets: [q(`sum by (status) (rate(psst_http_requests_total{${relay}}[${ri}]))`, '{{status}}')],
      },
      { title: 'Relay error ratio', unit: 'percentunit', targets: [q(relayErrorRatio, '5xx ratio')] },
      {
        title: 'Latency p99 by route',
        unit: 's',
        targets: [q(quantile(0.99, 'psst_http_request_duration_seconds', relay, 'route'), '{{route}}')],
      },
      {
        title: 'Rejections by reason',
        unit: 'reqps',
        stack: true,
        targets: [q(`sum by (reason) (rate(psst_requests_rejected_total{${relay}}[${ri}]))`, '{{reason}}')],
      },
      {
        title: 'Secrets: lifecycle (per minute)',
        unit: 'short',
        targets: ['created', 'revealed', 'expired', 'deleted', 'burned'].map((event) =>
          q(`60 * sum(rate(psst_secrets_${event}_total{${relay}}[${ri}]))`, event),
        ),
      },
      {
        title: 'Active secrets',
        unit: 'short',
        // The store's totals: every relay on one PostgreSQL database reports the same number, so max, never sum.
        targets: [q(`max(psst_secrets_active{${relay}})`, 'active'), q('$active_limit', 'quota')],
      },
      {
        title: 'Stored envelope bytes',
        unit: 'bytes',
        targets: [q(`max(psst_secret_store_bytes{${relay}})`, 'stored'), q('$store_limit_bytes', 'quota')],
      },
      {
        title: 'Time from creation to reveal',
        unit: 's',
        targets: [0.5, 0.9].map((p) => q(quantile(p, 'psst_reveal_delay_seconds', relay), `p${p * 100}`)),
      },
      {
        title: 'Process memory',
        unit: 'bytes',
        targets: [
          q(`sum(process_resident_memory_bytes{${relay}})`, 'RSS'),
          q(`sum(nodejs_heap_size_used_bytes{${relay}})`, 'heap used'),
          q(`sum(nodejs_heap_size_total_bytes{${relay}})`, 'heap total'),
        ],
      },
      {
        title: 'Event-loop lag',
        unit: 's',
        targets: [q(`max(nodejs_eventloop_lag_p99_seconds{${relay}})`, 'p99'), q(`max(nodejs_eventloop_lag_seconds{${relay}})`, 'last')],
      },
      {
        title: 'SQLite commits',
        unit: 'short',
        description: 'Writes are grouped into one transaction per batch; a growing batch means the disk is the bottleneck.',
        targets: [
          q(
            `sum(rate(psst_commit_batch_size_sum{${relay}}[${ri}])) / sum(rate(psst_commit_batch_size_count{${relay}}[${ri}]))`,
            'mean batch size',
          ),
          q(quantile(0.99, 'psst_commit_batch_size', relay), 'p99 batch size'),
          q(`1000 * ${quantile(0.99, 'psst_commit_duration_seconds', relay)}`, 'p99 commit ms'),
        ],
      },
      {
        title: 'Sweeper and database errors',
        unit: 'short',
        description: 'Sweeper runs per hour (should be steady); SQLite errors per hour by operation (absent until the first one).',
        targets: [
          q(`3600 * sum(rate(psst_sweeper_runs_total{${relay}}[${ri}]))`, 'sweeps/h'),
          q(`3600 * sum by (operation) (rate(psst_db_errors_total{${relay}}[${ri}])) or vector(0)`, 'db errors/h {{operation}}'),
        ],
      },
      {
        title: 'Build',
        unit: 'short',
        kind: 'table',
        targets: [q(`max by (version, engine) (psst_build_info{${relay}})`, '{{version}} {{engine}}')],
      },
    ],
  },
];

function quota(name, label, value) {
  const text = String(value);
  return { name, label, type: 'constant', query: text, current: { text, value: text }, hide: 2 };
}

function buildPanel(panel, id, gridPos) {
  const fieldConfig = { defaults: { unit: panel.unit, min: 0, ...(panel.max !== undefined ? { max: panel.max } : {}) }, overrides: [] };
  const targets = panel.targets.map((t, i) => ({
    datasource: ds,
    refId: String.fromCharCode(65 + i),
    expr: t.expr,
    legendFormat: t.legendFormat,
    range: panel.kind !== 'table',
    instant: panel.kind === 'table',
  }));
  if (panel.kind === 'table') {
    return { id, type: 'table', title: panel.title, datasource: ds, gridPos, fieldConfig, options: { showHeader: true }, targets };
  }
  if (panel.stack) fieldConfig.defaults.custom = { stacking: { mode: 'normal' }, fillOpacity: 30 };
  if (panel.unit === 'percentunit' || panel.unit === 's' || panel.title === 'Network') delete fieldConfig.defaults.min;
  return {
    id,
    type: 'timeseries',
    title: panel.title,
    ...(panel.description ? { description: panel.description } : {}),
    datasource: ds,
    gridPos,
    fieldConfig,
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets,
  };
}

export function buildDashboard() {
  const panels = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    const perLine = row.title === 'Golden signals' ? 4 : 3;
    const w = 24 / perLine;
    const h = row.title === 'Golden signals' ? 7 : 8;
    row.panels.forEach((panel, i) => {
      panels.push(buildPanel(panel, id++, { h, w, x: (i % perLine) * w, y: y + Math.floor(i / perLine) * h }));
    });
    y += Math.ceil(row.panels.length / perLine) * h;
  }
  return {
    title: 'psst',
    uid: 'psst-overview',
    description: 'psst on one VM: golden signals, the VM, the Caddy edge and the relay. Source: ops/scripts/build-dashboard.mjs.',
    tags: ['psst'],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, refresh: 1 },
        // The relay's quotas (PSST_MAX_STORE_BYTES, PSST_MAX_ACTIVE_SECRETS in
        // /etc/conf.d/psst); it does not export them. Edit both together.
        quota('store_limit_bytes', 'Store quota (bytes)', 2147483648),
        quota('active_limit', 'Active secrets quota', 100000),
        {
          name: 'instance',
          label: 'Instance',
          type: 'query',
          datasource: ds,
          definition: 'label_values(up{job="psst"}, instance)',
          query: { query: 'label_values(up{job="psst"}, instance)', refId: 'instance' },
          refresh: 2,
          includeAll: true,
          allValue: '.+',
          multi: false,
          current: {},
          hide: 0,
          sort: 1,
        },
      ],
    },
    annotations: { list: [] },
    panels,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = new URL('../grafana/psst-dashboard.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(buildDashboard(), null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(out)}`);
}
