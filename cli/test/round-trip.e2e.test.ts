// The built psst command against a real relay on loopback: CLI create → CLI
// open, secrets sealed by the shared test helpers (as the extension and the
// composer seal them) → CLI open, binary files byte for byte through pipes
// (0 B, 1 B, the largest the relay accepts), passphrases from a file, the
// history file, and `open` refusing to overwrite.
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { envelopeBytesFor } from '@psst/client/create-link';
import { parseLink } from '@psst/protocol/link';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSecret, type RunningRelay, startRelay, TEST_KDF } from '../../test-support/relay.js';
import { makeHome, PSST_MJS, type PsstHome, runPsst } from './run-psst.js';

let relay: RunningRelay;
let home: PsstHome;

beforeAll(async () => {
  relay = await startRelay();
  home = makeHome(relay.origin);
});

afterAll(async () => {
  await relay?.stop();
  home?.remove();
});

const keyOf = (link: string) => link.split('#')[1] as string;

async function receipt(id: string, manageToken: string) {
  const res = await fetch(`${relay.origin}/api/secrets/${id}/receipt`, { headers: { Authorization: `Bearer ${manageToken}` } });
  return (await res.json()) as { state: string; viewsLeft: number };
}

function history(): { entries: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(home.historyFile, 'utf8'));
}

describe('psst create → psst open', () => {
  it('prints only the link, and open writes exactly the text to stdout', async () => {
    const text = 'correct horse battery staple\n';
    const created = await runPsst([], { home, input: text });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}\n$/);
    const link = created.out.trim();
    expect(parseLink(link).origin).toBe(relay.origin);

    const opened = await runPsst(['open', '--yes', link], { home });
    expect(opened.code).toBe(0);
    expect(opened.out).toBe(text);
    expect(opened.stderr).toContain('A secret is waiting. It can be viewed once');
    expect(opened.stderr).toContain('It is now destroyed on the relay.');
    expect(opened.stderr).not.toContain(text.trim());
  });

  it('reads the link from standard input, so it need not be on the command line', async () => {
    const link = (await runPsst(['--views', '2', '--ttl', '15m'], { home, input: 'from a pipe' })).out.trim();
    const opened = await runPsst(['open', '--yes'], { home, input: `${link}\n` });
    expect(opened.code).toBe(0);
    expect(opened.out).toBe('from a pipe');
    expect(opened.stderr).toContain('It can be viewed 2 more times');
    expect(opened.stderr).toContain('The link can be opened 1 more time.');
  });

  it('--json gives link, id, expiry, views and the manage token', async () => {
    const result = await runPsst(['--json', '--ttl', '90s', '--views', '3', '--label', 'for ops'], { home, input: 'x' });
    expect(result.code).toBe(0);
    const body = JSON.parse(result.out) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'id', 'link', 'manageToken', 'relay', 'type', 'views']);
    expect(body).toMatchObject({ views: 3, relay: relay.origin, type: 'text' });
    expect(Date.parse(body.expiresAt as string) - Date.now()).toBeGreaterThan(80_000);
    expect(Date.parse(body.expiresAt as string) - Date.now()).toBeLessThan(95_000);
    expect(await receipt(body.id as string, body.manageToken as string)).toMatchObject({ state: 'active', viewsLeft: 3 });
    expect(history().entries[0]).toMatchObject({ id: body.id, label: 'for ops', views: 3 });
  });

  it('opens secrets sealed by the shared test helpers: text, a file, and one with a passphrase', async () => {
    const text = await createTestSecret(relay.origin, { text: 'sealed elsewhere ✓ 🔑' });
    const r1 = await runPsst(['open', '--yes', text.link], { home });
    expect(r1.code).toBe(0);
    expect(r1.out).toBe('sealed elsewhere ✓ 🔑');

    const bytes = new Uint8Array(randomBytes(70_000));
    const file = await createTestSecret(relay.origin, {
      file: { name: '../../etc/quarterly\u202Etxt.exe', mime: 'application/pdf', bytes },
    });
    const r2 = await runPsst(['open', '--yes', file.link], { home });
    expect(r2.code).toBe(0);
    expect(Buffer.compare(r2.stdout, Buffer.from(bytes))).toBe(0);
    // The sender's name is shown cleaned: no path, no bidi override.
    expect(r2.stderr).toContain('its name: quarterlytxt.exe');
    expect(r2.stderr).not.toContain('\u202E');

    const pass = join(home.dir, 'pass.txt');
    writeFileSync(pass, 'open sesame\n');
    const guarded = await createTestSecret(relay.origin, { text: 'behind a passphrase', passphrase: 'open sesame', kdf: TEST_KDF });
    const r3 = await runPsst(['open', '--yes', '--passphrase-file', pass, guarded.link], { home });
    expect(r3.stderr).toContain('It needs a passphrase.');
    expect(r3.code).toBe(0);
    expect(r3.out).toBe('behind a passphrase');
  });

  it('takes a passphrase from a file on both sides', async () => {
    const pass = join(home.dir, 'both.txt');
    writeFileSync(pass, 'tr0ub4dor&3\r\n');
    const link = (await runPsst(['--passphrase-file', pass], { home, input: 'passphrase round trip' })).out.trim();
    // Without the passphrase nothing opens.
    const without = await runPsst(['open', '--yes', link], { home });
    expect(without.code).toBe(5);
    expect(without.stderr).toContain('use --passphrase-file FILE');
    const opened = await runPsst(['open', '--yes', '--passphrase-file', pass, link], { home });
    expect(opened.code).toBe(0);
    expect(opened.out).toBe('passphrase round trip');
  });

  it('sends a text file given as FILE as text, and --file sends it as a file with its name', async () => {
    const path = join(home.dir, 'notes.txt');
    writeFileSync(path, 'line 1\nline 2\n');
    const asText = await runPsst(['--json', path], { home });
    expect(JSON.parse(asText.out).type).toBe('text');
    const asFile = await runPsst(['--json', '--file', path], { home });
    expect(JSON.parse(asFile.out).type).toBe('file');
    const opened = await runPsst(['open', '--yes', '--json', JSON.parse(asFile.out).link], { home });
    expect(JSON.parse(opened.out)).toEqual({
      type: 'file',
      name: 'notes.txt',
      mime: 'text/plain',
      size: 14,
      base64: Buffer.from('line 1\nline 2\n').toString('base64'),
    });
  });

  it('treats a FILE named like a command as a file with `psst create`', async () => {
    writeFileSync(join(home.dir, 'open'), 'a file called open');
    const created = await runPsst(['create', 'open'], { home });
    expect(created.code).toBe(0);
    expect((await runPsst(['open', '--yes', created.out.trim()], { home })).out).toBe('a file called open');
  });
});

describe('binary files byte for byte through pipes', () => {
  const META = { type: 'file' as const, name: 'secret.bin', mime: 'application/octet-stream' };
  /** The largest body whose envelope the relay still accepts (1 MiB envelopes by default). */
  function largestBody(limit: number): number {
    let size = limit;
    while (envelopeBytesFor(META, size, false) > limit) size -= 1;
    return size;
  }

  for (const [label, size] of [
    ['0 B', 0],
    ['1 B', 1],
    ['the largest size the relay accepts', -1],
  ] as const) {
    it(`round-trips ${label}`, async () => {
      const length = size === -1 ? largestBody(1_048_576) : size;
      const bytes = new Uint8Array(randomBytes(length));
      if (length === 1) bytes[0] = 0xff; // not UTF-8: a file without --file
      const created = await runPsst(size === 1 ? [] : ['--file'], { home, input: bytes });
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      const opened = await runPsst(['open', '--yes', created.out.trim()], { home });
      expect(opened.code).toBe(0);
      expect(opened.stdout.length).toBe(length);
      expect(Buffer.compare(opened.stdout, Buffer.from(bytes))).toBe(0);
      expect(opened.stderr).toContain(`A file, ${length} bytes, application/octet-stream; its name: secret.bin.`);
    });
  }

  it('refuses one byte more than the largest, before sending anything', async () => {
    const bytes = new Uint8Array(randomBytes(largestBody(1_048_576) + 1));
    const before = relay
      .logs()
      .split('\n')
      .filter((l) => l.includes('"POST"')).length;
    const result = await runPsst(['--file'], { home, input: bytes });
    expect(result.code).toBe(3);
    expect(result.out).toBe('');
    expect(result.stderr).toContain('The secret is too large for this relay');
    expect(result.stderr).toContain('the relay accepts at most 1048576');
    expect(
      relay
        .logs()
        .split('\n')
        .filter((l) => l.includes('"POST"')).length,
    ).toBe(before);
  });

  it('keeps the bytes of text exactly: CRLF, tabs, no trailing newline', async () => {
    const text = 'first\r\nsecond\ttab  ';
    const created = await runPsst([], { home, input: text });
    const opened = await runPsst(['open', '--yes', created.out.trim()], { home });
    expect(Buffer.compare(opened.stdout, Buffer.from(text, 'utf8'))).toBe(0);
  });
});

describe('open --out', () => {
  it('refuses to overwrite a file without --force, and consumes nothing', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'keep me' });
    const out = join(home.dir, 'existing.txt');
    writeFileSync(out, 'precious');
    const refused = await runPsst(['open', '--yes', '--out', out, secret.link], { home });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('exists: psst does not overwrite it (use --force');
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect(await receipt(secret.id, secret.manageToken)).toMatchObject({ state: 'active', viewsLeft: 1 });

    const forced = await runPsst(['open', '--yes', '--force', '--out', out, secret.link], { home });
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('writes a file secret into a folder under its cleaned name, never over another file', async () => {
    const bytes = new Uint8Array(randomBytes(300));
    const dir = join(home.dir, 'downloads');
    mkdirSync(dir);
    writeFileSync(join(dir, 'report.pdf'), 'older report');
    const secret = await createTestSecret(relay.origin, { file: { name: '/tmp/../report.pdf', mime: 'application/pdf', bytes } });
    const result = await runPsst(['open', '--yes', '--out', dir, secret.link], { home });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'report.pdf'), 'utf8')).toBe('older report');
    expect(Buffer.compare(readFileSync(join(dir, 'report (2).pdf')), Buffer.from(bytes))).toBe(0);
    expect(result.stderr).toContain(`saved as ${join(dir, 'report (2).pdf')}`);
    expect(existsSync('/tmp/report.pdf') && readFileSync('/tmp/report.pdf').equals(Buffer.from(bytes))).toBe(false);
  });
});

describe('the history file', () => {
  it('is mode 0600 in a 0700 folder and holds no key, link, passphrase or text', async () => {
    const text = `history-probe-${randomBytes(8).toString('hex')}`;
    const pass = join(home.dir, 'p.txt');
    writeFileSync(pass, 'a passphrase never stored');
    const link = (await runPsst(['--passphrase-file', pass, '--label', 'probe'], { home, input: text })).out.trim();
    const raw = readFileSync(home.historyFile, 'utf8');
    expect(statSync(home.historyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(home.dir, 'state', 'psst')).mode & 0o777).toBe(0o700);
    expect(raw).not.toContain(keyOf(link));
    expect(raw).not.toContain(link);
    expect(raw).not.toContain('/s/');
    expect(raw).not.toContain(text);
    expect(raw).not.toContain('a passphrase never stored');
    const entry = history().entries[0] as Record<string, unknown>;
    expect(entry).toMatchObject({ id: parseLink(link).id, relayOrigin: relay.origin, label: 'probe', state: 'waiting' });
    expect(typeof entry.manageToken).toBe('string');
  });
});

describe('the history file, written by many at once', () => {
  it('keeps every entry when eight psst processes create at the same time', async () => {
    const parallel = makeHome(relay.origin);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => runPsst(['--label', `job ${i}`], { home: parallel, input: `job ${i}` })),
    );
    expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
    const entries = JSON.parse(readFileSync(parallel.historyFile, 'utf8')).entries as { label: string }[];
    expect(entries.map((e) => e.label).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `job ${i}`));
    expect(existsSync(`${parallel.historyFile}.lock`)).toBe(false);
    parallel.remove();
  });
});

describe('status, revoke and list', () => {
  it('follows a link through its receipt, revokes it, and the link then says deleted', async () => {
    const link = (await runPsst(['--views', '2', '--label', 'db password'], { home, input: 'to revoke' })).out.trim();
    const id = parseLink(link).id;

    const waiting = await runPsst(['status'], { home });
    expect(waiting.code).toBe(0);
    expect(waiting.out).toContain(`${id}  waiting: 2 of 2 views left, expires in`);

    await runPsst(['open', '--yes', link], { home });
    const viewed = await runPsst(['status', '--json', link], { home });
    expect(viewed.code).toBe(0);
    const body = JSON.parse(viewed.out);
    expect(body).toMatchObject({ id, state: 'waiting', viewsLeft: 1, receipt: { state: 'active', viewsLeft: 1 } });
    expect(body.manageToken).toBeUndefined();

    const revoked = await runPsst(['revoke', id], { home });
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toContain(`Deleted ${id}: the link no longer opens.`);

    const gone = await runPsst(['open', '--yes', link], { home });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('The sender deleted this secret');
    expect(gone.stderr).not.toContain(keyOf(link));

    const again = await runPsst(['revoke', '--json', id], { home });
    expect(again.code).toBe(2);
    expect(JSON.parse(again.out)).toEqual({ id, deleted: false, state: 'deleted' });

    const list = await runPsst(['list'], { home });
    expect(list.code).toBe(0);
    expect(list.out).toContain(`${id}  `);
    expect(list.out).toContain('deleted  db password');
    const listed = JSON.parse((await runPsst(['list', '--json'], { home })).out) as Record<string, unknown>[];
    expect(listed.length).toBeGreaterThan(3);
    for (const entry of listed) expect(entry.manageToken).toBeUndefined();
  });

  it('says so when an id is not in the history', async () => {
    const result = await runPsst(['status', 'AAAAAAAAAAAAAAAAAAAAAA'], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No secret AAAAAAAAAAAAAAAAAAAAAA in the history of this computer');
  });
});

describe('psst config', () => {
  it('sets, gets and unsets the relay; --relay wins over the config file, which wins over PSST_RELAY', async () => {
    const own = makeHome('http://127.0.0.1:9'); // PSST_RELAY points nowhere
    expect((await runPsst(['config', 'get', 'relay'], { home: own })).code).toBe(2);
    expect((await runPsst(['config', 'set', 'relay', `${relay.origin}/`], { home: own })).code).toBe(0);
    expect((await runPsst(['config', 'get', 'relay'], { home: own })).out).toBe(`${relay.origin}\n`);
    expect(statSync(own.configFile).mode & 0o777).toBe(0o600);
    expect((await runPsst([], { home: own, input: 'via config' })).code).toBe(0);
    expect((await runPsst(['--relay', 'http://127.0.0.1:9'], { home: own, input: 'via flag' })).code).toBe(4);
    expect((await runPsst(['config', 'unset', 'relay'], { home: own })).code).toBe(0);
    expect((await runPsst([], { home: own, input: 'via env' })).code).toBe(4);
    const bad = await runPsst(['config', 'set', 'colour', 'blue'], { home: own });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown setting colour');
    own.remove();
  });

  it('has --help with examples for every command, and --version', async () => {
    for (const command of [
      ['create'],
      ['open'],
      ['status'],
      ['revoke'],
      ['list'],
      ['config'],
      ['config', 'get'],
      ['config', 'set'],
      ['config', 'unset'],
    ]) {
      const help = await runPsst([...command, '--help'], { home });
      expect(help.code).toBe(0);
      expect(help.out).toContain('Examples:');
    }
    const top = await runPsst(['--help'], { home });
    expect(top.out).toContain('Exit codes:');
    expect((await runPsst(['--version'], { home })).out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('runs as one copied file, with no node_modules beside it', async () => {
    const copy = join(home.dir, 'elsewhere', 'psst');
    mkdirSync(dirname(copy));
    copyFileSync(PSST_MJS, copy);
    chmodSync(copy, 0o755);
    const { execFileSync } = await import('node:child_process');
    const link = execFileSync(copy, [], {
      input: 'one file',
      env: { ...home.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
      timeout: 30_000,
    })
      .toString()
      .trim();
    expect((await runPsst(['open', '--yes', link], { home })).out).toBe('one file');
  });
});
