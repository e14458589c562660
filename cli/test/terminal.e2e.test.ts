// psst at a terminal, through a real pseudo-terminal (util-linux `script`,
// driven as a person would: wait for each prompt, then type): the
// passphrase asked twice without echo while the secret comes from a pipe, a
// wrong passphrase asked again with the attempts left, the question before a
// view is used, a secret typed without echo. Nothing typed appears on screen.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSecret, type RunningRelay, startRelay, TEST_KDF } from '../../test-support/relay.js';
import { makeHome, PSST_MJS, type PsstHome } from './run-psst.js';

const TIMEOUT_MS = 40_000;

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

/**
 * Runs `sh -c command` on a pseudo-terminal made by util-linux `script`
 * (Essential in Debian): waits for each expected text on the screen, then
 * types the answer, as a person would. `psst` in the command is the built one.
 */
function atTerminal(command: string, steps: [expect: string, type: string][]): Promise<{ code: number | null; screen: string }> {
  const psst = `${JSON.stringify(process.execPath)} ${JSON.stringify(PSST_MJS)}`;
  const child = spawn('script', ['-qfec', command.replaceAll('psst ', `${psst} `), '/dev/null'], {
    env: { ...home.env, TERM: 'xterm' },
    cwd: home.dir,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // its own session: the pseudo-terminal becomes its controlling terminal
  });
  let screen = '';
  let seen = 0;
  let step = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    for (let next = steps[step]; next; next = steps[step]) {
      const at = screen.indexOf(next[0], seen);
      if (at < 0) break;
      seen = at + next[0].length;
      step++;
      child.stdin.write(next[1]);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-(child.pid as number), 'SIGKILL');
      reject(new Error(`no answer within ${TIMEOUT_MS} ms (step ${step} of ${steps.length}); the screen showed:\n${screen}`));
    }, TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen });
    });
  });
}

async function receipt(id: string, manageToken: string) {
  const res = await fetch(`${relay.origin}/api/secrets/${id}/receipt`, { headers: { Authorization: `Bearer ${manageToken}` } });
  return (await res.json()) as { state: string; viewsLeft: number };
}

describe('psst at a terminal', () => {
  it('asks a passphrase twice without echo while the secret comes from a pipe, and open asks again after a wrong one', async () => {
    writeFileSync(join(home.dir, 'secret.txt'), 'piped secret text');
    const created = await atTerminal('psst --passphrase < secret.txt > link.txt', [
      ['Passphrase (hidden): ', 'Tr1cky pass!\r'],
      ['Passphrase again: ', 'Tr1cky pass!\r'],
    ]);
    expect(created.code).toBe(0);
    expect(created.screen).not.toContain('Tr1cky');
    expect(created.screen).toContain('Deriving the key from the passphrase…'); // progress on a terminal
    expect(created.screen).toContain('Link created: 1 view, expires in 1 hour');
    const link = readFileSync(join(home.dir, 'link.txt'), 'utf8').trim();
    expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$/);
    expect(created.screen).not.toContain(link.split('#')[1]);

    writeFileSync(join(home.dir, 'link-in.txt'), link);
    const opened = await atTerminal('psst open < link-in.txt > out.txt', [
      ['[y/N] ', 'y\r'],
      ['Passphrase (hidden): ', 'wrong guess\r'],
      ['Passphrase (hidden): ', 'Tr1cky pass!\r'], // asked again, after the words below
    ]);
    expect(opened.code).toBe(0);
    expect(opened.screen).toContain('A secret is waiting. It can be viewed once, then it is destroyed; it expires in');
    expect(opened.screen).toContain('It needs a passphrase.');
    expect(opened.screen).toContain('Wrong passphrase: 4 attempts left.');
    expect(opened.screen).not.toContain('wrong guess');
    expect(opened.screen).not.toContain('Tr1cky');
    expect(opened.screen).not.toContain('piped secret text');
    expect(readFileSync(join(home.dir, 'out.txt'), 'utf8')).toBe('piped secret text');
  });

  it('creates nothing when the two passphrases differ', async () => {
    const result = await atTerminal('echo never | psst --passphrase > link2.txt', [
      ['Passphrase (hidden): ', 'one\r'],
      ['Passphrase again: ', 'two\r'],
    ]);
    expect(result.code).toBe(1);
    expect(result.screen).toContain('The two passphrases differ: nothing was shared.');
    expect(readFileSync(join(home.dir, 'link2.txt'), 'utf8')).toBe('');
  });

  it('consumes nothing when the question is answered no', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'wait for me' });
    const result = await atTerminal(`psst open '${secret.link}'`, [['[y/N] ', 'n\r']]);
    expect(result.code).toBe(130);
    expect(result.screen).toContain('Not revealed: nothing was consumed.');
    expect(result.screen).not.toContain('wait for me');
    expect(await receipt(secret.id, secret.manageToken)).toMatchObject({ state: 'active', viewsLeft: 1 });
  });

  it('reads a secret typed without echo, and a link pasted without echo', async () => {
    const created = await atTerminal('psst > typed-link.txt', [['Secret (typing is hidden, Enter ends): ', 'typed at the keyboard\r']]);
    expect(created.code).toBe(0);
    expect(created.screen).not.toContain('typed at the keyboard');
    const link = readFileSync(join(home.dir, 'typed-link.txt'), 'utf8').trim();
    const opened = await atTerminal('psst open --yes', [['Link (hidden, paste it and press Enter): ', `${link}\r`]]);
    expect(opened.code).toBe(0);
    expect(opened.screen).not.toContain(link.split('#')[1]);
    expect(opened.screen).toContain('typed at the keyboard'); // stdout is the terminal here
  });

  it('shows control characters of a text as \\xNN on a terminal, so a secret cannot drive it', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'title\u001b]0;pwned\u0007 end' });
    const result = await atTerminal(`psst open --yes '${secret.link}'`, []);
    expect(result.code).toBe(0);
    expect(result.screen).toContain('title\\x1b]0;pwned\\x07 end');
    expect(result.screen).not.toContain('\u001b]0;');
  });

  it('opens a passphrase secret made elsewhere, asking at the terminal', async () => {
    const secret = await createTestSecret(relay.origin, { text: 'helper sealed', passphrase: 'p4ss', kdf: TEST_KDF });
    const result = await atTerminal(`psst open --yes '${secret.link}' > helper.txt`, [['Passphrase (hidden): ', 'p4ss\r']]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(home.dir, 'helper.txt'), 'utf8')).toBe('helper sealed');
  });
});
