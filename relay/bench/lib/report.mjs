// The Markdown report of a benchmark run: ceilings, relay scenarios with their
// ratio to the lower ceiling, memory, and the goals of issues 7 and 8.

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ms = (n) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const mb = (n) => (Number.isFinite(n) ? `${(n / 1024 ** 2).toFixed(1)} MB` : '–');
const secs = (n) => (Number.isFinite(n) ? `${Math.round(n / 100) / 10} s` : '–');
const ratio = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–');
const spread = (m) => (m.runs.length > 1 ? `${int(m.rps)} (${int(m.rpsMin)}–${int(m.rpsMax)})` : int(m.rps));
const check = (ok) => (ok === undefined ? '?' : ok ? '✅' : '❌');

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), ''].join('\n');
}

export function findOne(results, query) {
  return results.measurements.find((m) => Object.entries(query).every(([k, v]) => m[k] === v));
}

/** The HTTP ceiling (same engine, same connections) and the storage ceiling (same mode, scenario, connections). */
export function ceilingsFor(results, m) {
  const http = findOne(results, {
    group: 'http-ceiling',
    engine: m.engine,
    connections: m.connections,
    scenario: m.scenario === 'create' || m.scenario === 'mixed' ? 'post' : 'get',
  });
  const store =
    m.scenario === 'look'
      ? findOne(results, { group: 'store-ceiling', scenario: 'look', connections: m.connections })
      : findOne(results, { group: 'store-ceiling', mode: m.mode, scenario: m.scenario, connections: m.connections });
  const lower = Math.min(http?.rps ?? Number.POSITIVE_INFINITY, store?.rps ?? Number.POSITIVE_INFINITY);
  return { http, store, lower: Number.isFinite(lower) ? lower : Number.NaN };
}

function goals(results, modes) {
  const rows = [];
  const engines = [...new Set(results.measurements.filter((m) => m.group === 'relay').map((m) => m.engine))];
  for (const engine of engines) {
    const relay = (mode, scenario, connections) => findOne(results, { group: 'relay', engine, mode, scenario, connections });
    for (const scenario of ['create', 'reveal']) {
      const m = relay('full-group', scenario, 32);
      if (m) {
        const { store, http } = ceilingsFor(results, m);
        const r = store ? m.rps / store.rps : Number.NaN;
        // One process on one core does the HTTP work and the store work one after the other, so even a relay
        // that added nothing of its own would top out at 1 / (1/store + 1/http): the figure to read the ratio against.
        const serial = store && http ? 1 / (1 / store.rps + 1 / http.rps) : Number.NaN;
        rows.push([
          engine,
          `${scenario} ≥ 0.7× storage ceiling (32 conns, FULL+group)`,
          `${int(m.rps)} / ${int(store?.rps)} = ${ratio(r)}; HTTP + store in series: ${int(serial)} = ${ratio(serial / store?.rps)}, relay at ${ratio(m.rps / serial)} of it`,
          check(r >= 0.7),
        ]);
      }
      const half = findOne(results, { group: 'relay', engine, mode: 'full-group', scenario: `${scenario}@half` });
      if (half) {
        rows.push([
          engine,
          `${scenario} p99 < 10 ms at half max throughput`,
          `${ms(half.p99Ms)} ms at ${int(half.rps)} req/s (target ${int(half.targetRps)})`,
          check(half.p99Ms < 10),
        ]);
      }
      const normal = relay('normal-1', scenario, 32);
      if (m && normal) {
        const r = m.rps / normal.rps;
        rows.push([
          engine,
          `${scenario} at 32 conns ≥ 0.9× NORMAL ceiling`,
          `${int(m.rps)} / ${int(normal.rps)} = ${ratio(r)}`,
          check(r >= 0.9),
        ]);
      }
      if (m) rows.push([engine, `${scenario} p99 < 20 ms at 32 conns`, `${ms(m.p99Ms)} ms`, check(m.p99Ms < 20)]);
      const one = relay('full-group', scenario, 1);
      const oneBase = relay('full-1', scenario, 1);
      const oneNormal = relay('normal-1', scenario, 1);
      if (one && (oneBase || oneNormal)) {
        const vsBase = oneBase ? one.p50Ms - oneBase.p50Ms : Number.NaN;
        const vsNormal = oneNormal ? one.p50Ms - oneNormal.p50Ms : Number.NaN;
        rows.push([
          engine,
          `${scenario} median at 1 conn ≤ +1 ms`,
          `${ms(one.p50Ms)} ms: ${ms(vsBase)} ms vs 1 commit/request, ${ms(vsNormal)} ms vs NORMAL`,
          check(!(vsBase > 1) && !(vsNormal > 1)),
        ]);
      }
    }
    const create32 = relay('full-group', 'create', 32);
    if (create32) rows.push([engine, 'creates/s at 32 conns ≥ 5 500', int(create32.rps), check(create32.rps >= 5500)]);
    const memory = findOne(results, { engine, mode: 'full-group', scenario: 'memory' });
    if (memory) {
      rows.push([
        engine,
        'idle RSS < 64 MB',
        `${mb(memory.idleRssBytes)} (anon ${mb(memory.idleAnonRssBytes)}) ${secs(memory.idleAfterMs)} after start; ${mb(memory.startRssBytes)} at 1 s`,
        check(memory.idleRssBytes < 64 * 1024 ** 2),
      ]);
      rows.push([engine, 'peak RSS < 128 MB', mb(memory.peakRssBytes), check(memory.peakRssBytes < 128 * 1024 ** 2)]);
    }
  }
  void modes;
  return rows;
}

export function renderMarkdown(results, { modes }) {
  const { machine, options } = results;
  const out = [];
  out.push(`# psst relay benchmark — ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC`, '');
  out.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.kernel}, Node ${machine.node}. ` +
      `Load average before/after: ${machine.loadAverage.join(' ')} / ${(machine.loadAverageAfter ?? []).join(' ')} (a shared machine: compare only within this run).`,
    '',
  );
  out.push(
    `Mode: ${options.quick ? 'quick' : 'full'}; ${options.runs} run(s) per measurement (median, min–max), ${options.seconds} s per run; ` +
      `relay and ceilings on core 1, wrk (1 thread) on core 0. Create body: ${results.request?.createBodyBytes} B JSON ` +
      `(1 KiB text → ${results.request?.envelopeBytes} B envelope). Latencies in ms. Elapsed: ${results.elapsedSeconds} s.` +
      (options.nodeOptions?.length ? ` Relay started as \`node ${options.nodeOptions.join(' ')}\`.` : ''),
    '',
  );

  const goalRows = goals(results, modes);
  if (goalRows.length) out.push('## Goals (issues 7 and 8)', '', table(['engine', 'goal', 'measured', ''], goalRows));

  const relayRows = results.measurements
    .filter((m) => m.group === 'relay' && m.scenario !== 'memory')
    .map((m) => {
      const { lower } = ceilingsFor(results, m);
      const isHalf = m.scenario.endsWith('@half');
      return [
        m.engine,
        modes[m.mode]?.label ?? m.mode,
        m.scenario,
        m.connections,
        spread(m),
        ms(m.p50Ms),
        ms(m.p99Ms),
        isHalf ? '–' : int(lower),
        isHalf ? '–' : ratio(m.rps / lower),
        m.cpuSecondsPer1k.toFixed(3),
        m.errors + m.statusErrors,
      ];
    });
  out.push(
    '## Relay',
    '',
    table(
      ['engine', 'durability', 'scenario', 'conns', 'req/s', 'p50', 'p99', 'lower ceiling', 'ratio', 'CPU s/1k req', 'errors'],
      relayRows,
    ),
  );

  out.push(...renderPostgres(results));

  const memRows = results.measurements
    .filter((m) => m.scenario === 'memory')
    .map((m) => [
      m.engine,
      modes[m.mode]?.label ?? m.mode,
      `${mb(m.startRssBytes ?? m.idleRssBytes)} (${mb(m.startAnonRssBytes ?? m.idleAnonRssBytes)})`,
      `${mb(m.idleRssBytes)} (${mb(m.idleAnonRssBytes)}) at ${secs(m.idleAfterMs ?? 1000)}`,
      mb(m.peakRssBytes),
      `${mb(m.afterLoadRssBytes)} (${mb(m.afterLoadAnonRssBytes)}) at ${secs(m.afterLoadMs ?? 1500)}`,
      int(m.churned),
      int(m.unrevealedLeft),
      mb(m.dbBytesLive),
      mb(m.dbBytesAfterStop),
      m.exitCode,
    ]);
  out.push(
    '## Memory and disk',
    '',
    table(
      [
        'engine',
        'durability',
        'RSS 1 s after start (anon)',
        'idle RSS (anon)',
        'peak RSS',
        'RSS after load (anon), idle for',
        'secrets created',
        'still active',
        'DB+WAL at end',
        'DB+WAL after stop',
        'exit code',
      ],
      memRows,
    ),
    'RSS is VmRSS; "anon" is RssAnon, the process\'s own memory (the rest is mapped files: node, libnode, ICU data). ' +
      "Idle is read once V8's memory reducer has run (default mode: 12 s after start or after the load; other modes: 1 s and 1.5 s).",
    '',
  );

  const httpRows = [];
  for (const m of results.measurements.filter((x) => x.group === 'http-ceiling' && x.scenario === 'get')) {
    const post = findOne(results, { group: 'http-ceiling', engine: m.engine, connections: m.connections, scenario: 'post' });
    httpRows.push([
      m.engine,
      m.connections,
      spread(m),
      ms(m.p50Ms),
      ms(m.p99Ms),
      post ? spread(post) : '–',
      ms(post?.p50Ms),
      ms(post?.p99Ms),
    ]);
  }
  out.push(
    '## HTTP ceiling (constant 200, no work)',
    '',
    table(['engine', 'conns', 'GET req/s', 'p50', 'p99', `POST ${results.request?.createBodyBytes} B req/s`, 'p50', 'p99'], httpRows),
  );

  const storeRows = results.measurements
    .filter((m) => m.group === 'store-ceiling')
    .map((m) => [
      m.scenario === 'look' ? '(any)' : (modes[m.mode]?.label ?? m.mode),
      m.scenario,
      m.connections,
      spread(m),
      ms(m.p50Ms),
      ms(m.p99Ms),
    ]);
  out.push(
    '## Storage ceiling (the relay\'s store, same settings, no HTTP; "conns" = concurrent callers)',
    '',
    table(['durability', 'scenario', 'callers', 'ops/s', 'p50', 'p99'], storeRows),
  );

  const rawRows = results.measurements.filter((m) => m.group === 'raw-sqlite').map((m) => [m.scenario, m.mode, spread(m)]);
  out.push(
    '## Plain better-sqlite3 (WAL, secure_delete, ops per transaction)',
    '',
    table(['operation', 'synchronous × batch', 'ops/s'], rawRows),
  );

  const gen = results.measurements.filter((m) => m.group === 'generator');
  if (gen.length) {
    out.push(
      '## Load generators on the HTTP ceiling',
      '',
      table(
        ['generator', 'engine', 'conns', 'req/s', 'p50', 'p99'],
        gen.map((m) => [m.scenario, m.engine, m.connections, spread(m), ms(m.p50Ms), ms(m.p99Ms)]),
      ),
    );
  }
  const page = results.revealPage;
  if (page?.files) {
    out.push(
      '## Reveal page weight (gzip -9)',
      '',
      table(
        ['file', 'bytes', 'gzip'],
        [
          ...page.files.map((f) => [f.file, int(f.bytes), int(f.gzipBytes)]),
          ['**total**', int(page.totalBytes), `**${int(page.totalGzipBytes)}** (budget ${int(page.budgetBytes)})`],
          ...(page.protocol ? [['(of which @psst/protocol)', int(page.protocol.bytes), int(page.protocol.gzipBytes)]] : []),
        ],
      ),
    );
  } else if (page) out.push('## Reveal page weight', '', page.missing ?? page.error ?? JSON.stringify(page), '');
  if (results.notes.length) out.push('## Notes', '', ...results.notes.map((n) => `- ${n}`), '');
  return `${out.join('\n')}\n`;
}

/** Issue 15: the relay on PostgreSQL against the relay on SQLite (same run, both durable), two relays, memory. */
function renderPostgres(results) {
  const rows = results.measurements.filter((m) => m.group === 'pg-compare' && m.scenario !== 'pg-memory');
  if (!rows.length) return [];
  const out = [];
  const sqlite = (m) => findOne(results, { group: 'pg-compare', store: 'sqlite', scenario: m.scenario, connections: m.connections });
  const compare = rows
    .filter((m) => m.store !== 'sqlite')
    .map((m) => {
      const base = sqlite(m);
      return [
        m.store === 'postgres' ? 'unix socket' : 'TCP loopback',
        m.scenario,
        m.connections,
        base ? spread(base) : '–',
        spread(m),
        base ? ratio(m.rps / base.rps) : '–',
        `${ms(base?.p99Ms)} / ${ms(m.p99Ms)}`,
        `${base?.cpuSecondsPer1k?.toFixed(3) ?? '–'} / ${m.cpuSecondsPer1k.toFixed(3)}`,
        (base ? base.errors + base.statusErrors : 0) + m.errors + m.statusErrors,
      ];
    });
  out.push(
    '## PostgreSQL store (issue 15)',
    '',
    `The relay (${rows[0]?.engine}) on SQLite (FULL + group commit) and on PostgreSQL 15 (synchronous_commit=on, pool of 16, ` +
      "named statements), same run. The relay on core 1 alone in both; PostgreSQL on core 0 with wrk (on the relay's core its " +
      "wake-ups took a third of the relay's time). CPU s/1k req is the relay process only.",
    '',
    table(
      [
        'PostgreSQL over',
        'scenario',
        'conns',
        'SQLite req/s',
        'PostgreSQL req/s',
        'ratio',
        'p99 SQLite / PG',
        'relay CPU s/1k SQLite / PG',
        'errors',
      ],
      compare,
    ),
  );
  const goalRows = [];
  for (const scenario of ['create', 'reveal']) {
    const pg = findOne(results, { group: 'pg-compare', store: 'postgres', scenario, connections: 32 });
    const base = pg && sqlite(pg);
    if (!pg || !base) continue;
    goalRows.push([
      `${scenario} on PostgreSQL ≥ 0.7× the SQLite relay (32 conns)`,
      `${int(pg.rps)} / ${int(base.rps)} = ${ratio(pg.rps / base.rps)}`,
      check(pg.rps / base.rps >= 0.7),
    ]);
    goalRows.push([`${scenario} p99 on PostgreSQL < 25 ms (32 conns)`, `${ms(pg.p99Ms)} ms`, check(pg.p99Ms < 25)]);
  }
  if (goalRows.length) out.push(table(['goal', 'measured', ''], goalRows));
  const two = findOne(results, { group: 'pg-two-relays', scenario: 'create' });
  if (two) {
    out.push(
      `Two relays on one PostgreSQL database (one on core 1, one on core 0 with PostgreSQL and the two wrk processes, ` +
        `16 connections each): creates ${spread(two)} req/s, p99 ${ms(two.p99Ms)} ms (the slower relay's), ` +
        `${two.errors + two.statusErrors} errors. Two cores for everything: reported, not judged.`,
      '',
    );
  }
  const mem = results.measurements.filter((m) => m.scenario === 'pg-memory');
  if (mem.length) {
    const memRows = mem.map((m) => [
      m.group === 'pg-two-relays'
        ? 'two relays on PostgreSQL'
        : `relay on ${m.store === 'postgres-tcp' ? 'PostgreSQL (TCP)' : m.store === 'postgres' ? 'PostgreSQL (unix socket)' : 'SQLite'}`,
      Array.isArray(m.relayRssBytes) ? m.relayRssBytes.map(mb).join(' + ') : mb(m.relayRssBytes),
      mb(m.relayPeakRssBytes),
      m.postgresPss ? `${mb(m.postgresPss.bytes)} (${m.postgresPss.processes} processes)` : '–',
    ]);
    out.push(table(['after the load', 'relay RSS', 'relay peak RSS', 'PostgreSQL PSS (all its processes)'], memRows));
  }
  return out;
}
