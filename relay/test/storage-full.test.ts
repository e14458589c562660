// Full disk and quotas: with the active-secret quota, the stored-bytes quota or
// the database file itself (max_page_count) at its limit, create answers 503
// storage_full while look and reveal keep working, the file stays intact
// (PRAGMA integrity_check), and creation resumes once space is freed, by reads
// or by the sweeper erasing expired secrets.
import { join } from 'node:path';
import { CreateSecretResponse } from '@psst/protocol/api';
import { MIN_TTL_SECONDS } from '@psst/protocol/limits';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sealTestSecret } from '../../test-support/relay.js';
import { maxPageCount, shortSweep } from './relay-env.js';
import { type CreatedSecret, createSecret, ENGINES, look, type Reply, request, reveal, sleep, startRelay, useTempDir } from './support.js';

async function tryCreate(origin: string, ttl = 3600, text?: string): Promise<{ reply: Reply; secret?: CreatedSecret }> {
  const sealed = await sealTestSecret({ text: text ?? 'correct horse battery staple', ttl, views: 1 });
  const body = JSON.stringify(sealed.body);
  const reply = await request(origin, '/api/secrets', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (reply.status !== 201) return { reply };
  const { id, manageToken } = CreateSecretResponse.parse(reply.json);
  return { reply, secret: { id, manageToken, accessToken: sealed.accessToken, views: 1 } };
}

function expectStorageFull(reply: Reply): void {
  expect(reply.status, reply.text).toBe(503);
  expect(reply.json).toMatchObject({ error: 'storage_full' });
}

function integrityCheck(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe.each(ENGINES)('storage full (%s)', (engine) => {
  const tmp = useTempDir();

  it('answers 503 storage_full at the active-secret quota, keeps look and reveal working, and creates again after a read', async () => {
    const relay = await startRelay({ engine, dbPath: join(tmp.dir, 'quota.db'), env: { PSST_MAX_ACTIVE_SECRETS: '5' } });
    try {
      const secrets: CreatedSecret[] = [];
      for (let i = 0; i < 5; i++) secrets.push(await createSecret(relay.origin));
      expectStorageFull((await tryCreate(relay.origin)).reply);
      for (const s of secrets) expect((await look(relay.origin, s)).status).toBe(200);
      expect((await reveal(relay.origin, secrets[0] as CreatedSecret)).status).toBe(200);
      expect((await reveal(relay.origin, secrets[1] as CreatedSecret)).status).toBe(200);
      expect((await tryCreate(relay.origin)).reply.status).toBe(201);
      expect((await tryCreate(relay.origin)).reply.status).toBe(201);
      expectStorageFull((await tryCreate(relay.origin)).reply);
      expect((await request(relay.origin, '/readyz')).status).toBe(503);
    } finally {
      expect(await relay.stop('SIGTERM')).toBe(0);
    }
  });

  it('answers 503 storage_full at the stored-bytes quota', async () => {
    // Room for two small envelopes (~330 bytes each), not three.
    const relay = await startRelay({ engine, dbPath: join(tmp.dir, 'bytes.db'), env: { PSST_MAX_STORE_BYTES: '800' } });
    try {
      const a = await createSecret(relay.origin);
      await createSecret(relay.origin);
      expectStorageFull((await tryCreate(relay.origin)).reply);
      expect((await reveal(relay.origin, a)).status).toBe(200);
      expect((await tryCreate(relay.origin)).reply.status).toBe(201);
    } finally {
      expect(await relay.stop('SIGTERM')).toBe(0);
    }
  });

  it('answers 503 storage_full when the database file is full, stays intact, and creates again once reads free pages', async () => {
    const dbPath = join(tmp.dir, 'pages.db');
    const relay = await startRelay({ engine, dbPath, env: maxPageCount(40) });
    const created: CreatedSecret[] = [];
    try {
      let full: Reply | undefined;
      for (let i = 0; i < 400 && !full; i++) {
        // 3 000 characters of text: a 4 KiB bucket, so an envelope spans a page or two.
        const { reply, secret } = await tryCreate(relay.origin, 3600, 'x'.repeat(3000));
        if (secret) created.push(secret);
        else full = reply;
      }
      expect(full, 'the capped database never filled up').toBeDefined();
      expectStorageFull(full as Reply);
      expect(created.length).toBeGreaterThan(2);
      // Reads keep working on a full file.
      for (const s of created) expect((await look(relay.origin, s)).status).toBe(200);
      const read = created.splice(0, Math.ceil(created.length / 2));
      for (const s of read) expect((await reveal(relay.origin, s)).status).toBe(200);
      // Erased envelopes free their pages: creation resumes.
      const again = await tryCreate(relay.origin, 3600, 'x'.repeat(3000));
      expect(again.reply.status, again.reply.text).toBe(201);
      if (again.secret) created.push(again.secret);
    } finally {
      expect(await relay.stop('SIGTERM')).toBe(0);
    }
    expect(integrityCheck(dbPath)).toBe('ok');
    const restarted = await startRelay({ engine, dbPath, env: maxPageCount(40) });
    try {
      for (const s of created) expect((await look(restarted.origin, s)).status).toBe(200);
    } finally {
      expect(await restarted.stop('SIGTERM')).toBe(0);
    }
    expect(integrityCheck(dbPath)).toBe('ok');
  });
});

describe('storage full, then the sweeper', () => {
  const tmp = useTempDir();

  // The shortest TTL is a minute, so both engines wait for their sweeper at the same time.
  it('creates again once the sweeper has erased expired secrets (both engines)', { timeout: 150_000 }, async () => {
    await Promise.all(
      ENGINES.map(async (engine) => {
        const relay = await startRelay({
          engine,
          dbPath: join(tmp.dir, `sweep-${engine}.db`),
          env: { PSST_MAX_ACTIVE_SECRETS: '3', ...shortSweep },
        });
        try {
          const started = Date.now();
          const expiring: CreatedSecret[] = [];
          for (let i = 0; i < 3; i++) {
            const { secret } = await tryCreate(relay.origin, MIN_TTL_SECONDS);
            expect(secret, `${engine}: create ${i}`).toBeDefined();
            expiring.push(secret as CreatedSecret);
          }
          expectStorageFull((await tryCreate(relay.origin)).reply);
          let resumed: CreatedSecret | undefined;
          while (!resumed && Date.now() - started < (MIN_TTL_SECONDS + 40) * 1000) {
            await sleep(1000);
            const attempt = await tryCreate(relay.origin);
            if (attempt.secret) resumed = attempt.secret;
            else expectStorageFull(attempt.reply);
          }
          expect(resumed, `${engine}: creation never resumed`).toBeDefined();
          // Only expiry can have freed the room.
          expect(Date.now() - started).toBeGreaterThanOrEqual(MIN_TTL_SECONDS * 1000 - 1000);
          const gone = await look(relay.origin, expiring[0] as CreatedSecret);
          expect(gone.status).toBe(410);
          expect(gone.json).toMatchObject({ reason: 'expired' });
        } finally {
          expect(await relay.stop('SIGTERM')).toBe(0);
        }
      }),
    );
  });
});
