// Group commit: batching, order, failure isolation, bounds, and no answer
// before the commit that makes it durable.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupCommitter } from './group-commit.js';
import { makeTempDir, newSecret, openTestStore, recordingObserver, T0 } from './test-fixtures.js';
import type { Store, StoreOptions } from './types.js';

let temp: ReturnType<typeof makeTempDir>;
let path: string;
let store: Store | undefined;
let observer: ReturnType<typeof recordingObserver>;

beforeEach(() => {
  temp = makeTempDir();
  path = join(temp.dir, 'psst.db');
  observer = recordingObserver();
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  temp.remove();
});

function open(groupCommit: StoreOptions['groupCommit']): Store {
  store = openTestStore(path, { groupCommit, observer });
  return store;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('commits the writes of one turn in one transaction, in arrival order', async () => {
    const s = open({ maxBatch: 64, maxWaitMs: 0 });
    const secret = newSecret({ views: 1 });
    const [created, first, second, deleted] = await Promise.all([
      s.create(secret),
      s.reveal(secret.id, T0 + 1),
      s.reveal(secret.id, T0 + 2),
      s.delete(secret.id, T0 + 3),
    ]);
    expect(created).toEqual({ kind: 'created' });
    expect(first).toMatchObject({ kind: 'revealed', viewsLeft: 0 });
    expect(second).toEqual({ kind: 'gone', reason: 'read', at: T0 + 1 });
    expect(deleted).toEqual({ kind: 'gone', reason: 'read', at: T0 + 1 });
    expect(observer.batchSizes()).toEqual([4]);
  });

  it('fails only the duplicate id of a batch and commits its batch-mates', async () => {
    const s = open({ maxBatch: 64, maxWaitMs: 0 });
    const a = newSecret();
    const c = newSecret();
    const results = await Promise.all([s.create(a), s.create(newSecret({ id: a.id })), s.create(c)]);
    expect(results).toEqual([{ kind: 'created' }, { kind: 'duplicate_id' }, { kind: 'created' }]);
    expect(observer.batchSizes()).toEqual([3]);
    expect(observer.events.filter((e) => e.type === 'dbError')).toEqual([]);
    expect(await s.stats()).toEqual({ activeSecrets: 2, storedBytes: 2_200 });
    // The first one keeps its own envelope, not the duplicate's.
    const revealed = await s.reveal(a.id, T0 + 1);
    expect(revealed.kind === 'revealed' && Buffer.from(revealed.envelope).equals(Buffer.from(a.envelope))).toBe(true);
    expect((await s.reveal(c.id, T0 + 1)).kind).toBe('revealed');
  });

  it('rejects a write whose statement fails, counts a db error, and commits the others', async () => {
    const s = open({ maxBatch: 64, maxWaitMs: 0 });
    const good = [newSecret(), newSecret()];
    // views = -1 violates a CHECK constraint: an unexpected database error, not a result.
    const settled = await Promise.allSettled([s.create(good[0]!), s.create(newSecret({ views: -1 })), s.create(good[1]!)]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/CHECK constraint/);
    expect(observer.events).toContainEqual({ type: 'dbError', value: 'create' });
    expect(observer.batchSizes()).toEqual([3]);
    for (const secret of good) expect((await s.get(secret.id, T0))?.state).toBe('active');
    expect((await s.stats()).activeSecrets).toBe(2);
  });

  it('puts many concurrent writes into fewer commits, none larger than maxBatch', async () => {
    const s = open({ maxBatch: 64, maxWaitMs: 0 });
    const results = await Promise.all(Array.from({ length: 300 }, () => s.create(newSecret())));
    expect(results.every((r) => r.kind === 'created')).toBe(true);
    const sizes = observer.batchSizes();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
    expect(sizes).toEqual([64, 64, 64, 64, 44]);
  });

  it('commits each write alone with maxBatch 1', async () => {
    const s = open({ maxBatch: 1, maxWaitMs: 0 });
    await Promise.all(Array.from({ length: 50 }, () => s.create(newSecret())));
    expect(observer.batchSizes()).toEqual(Array(50).fill(1));
  });

  it('answers no write before its commit: another connection already sees it', async () => {
    const seenAtCommit: number[] = [];
    let reader: Database.Database | undefined;
    store = openTestStore(path, {
      groupCommit: { maxBatch: 16, maxWaitMs: 0 },
      observer: {
        commit: () => seenAtCommit.push(reader!.prepare('SELECT count(*) FROM secrets').pluck().get() as number),
        dbError: () => {},
      },
    });
    reader = new Database(path);
    try {
      const exists = reader.prepare('SELECT count(*) FROM secrets WHERE id = ?').pluck();
      const secrets = Array.from({ length: 40 }, () => newSecret());
      const visibleWhenAnswered = await Promise.all(
        // Visible from a separate connection means committed.
        secrets.map((secret) => store!.create(secret).then(() => exists.get(secret.id))),
      );
      expect(visibleWhenAnswered).toEqual(Array(40).fill(1));
      // The observer hears of each commit after it happened.
      expect(seenAtCommit).toEqual([16, 32, 40]);
    } finally {
      reader.close();
    }
  });

  it('with maxWaitMs above 0, gathers writes from several turns until the batch is full', async () => {
    const s = open({ maxBatch: 3, maxWaitMs: 30_000 });
    const pending = [s.create(newSecret())];
    await nextTurn();
    pending.push(s.create(newSecret()));
    await nextTurn();
    expect(observer.batchSizes()).toEqual([]);
    pending.push(s.create(newSecret()));
    await Promise.all(pending);
    expect(observer.batchSizes()).toEqual([3]);
  });

  it('with maxWaitMs above 0, flushes a lone write when the wait is over', async () => {
    const s = open({ maxBatch: 64, maxWaitMs: 20 });
    expect(await s.create(newSecret())).toEqual({ kind: 'created' });
    expect(observer.batchSizes()).toEqual([1]);
  });

  it('serves reads at once while writes are queued', async () => {
    const s = open({ maxBatch: 64, maxWaitMs: 0 });
    const secret = newSecret({ views: 2 });
    await s.create(secret);
    const reveal = s.reveal(secret.id, T0 + 1);
    // Not committed yet: the read sees the state before the queued write, synchronously.
    expect((await s.get(secret.id, T0 + 1))?.viewsLeft).toBe(2);
    expect((await s.stats()).activeSecrets).toBe(1);
    await reveal;
    expect((await s.get(secret.id, T0 + 1))?.viewsLeft).toBe(1);
  });

  it('flushes queued writes on close and refuses writes afterwards', async () => {
    const s = open({ maxBatch: 64, maxWaitMs: 5_000 });
    const secret = newSecret();
    const created = s.create(secret);
    await s.close();
    expect(await created).toEqual({ kind: 'created' });
    await expect(s.create(newSecret())).rejects.toThrow(/closed/);
    store = openTestStore(path);
    expect((await store.get(secret.id, T0))?.state).toBe('active');
  });
});

describe('createGroupCommitter', () => {
  /** A deferred foreign key fails at COMMIT, not at the statement: the only way to make COMMIT itself fail on demand. */
  function openRaw(): Database.Database {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`);
    return db;
  }

  it('when COMMIT fails, retries each write alone so only the culprit fails, and never answers before a commit', async () => {
    const db = openRaw();
    const counter = { value: 0 };
    const committer = createGroupCommitter(
      db,
      { maxBatch: 64, maxWaitMs: 0 },
      { snapshot: () => counter.value, restore: (saved) => (counter.value = saved) },
      observer,
    );
    const insertParent = db.prepare('INSERT INTO parent (id) VALUES (?)');
    const insertOrphan = db.prepare('INSERT INTO child (id, parent_id) VALUES (1, 999)');
    const parent = (id: number) => ({
      name: 'parent',
      apply: () => {
        insertParent.run(id);
        counter.value += 1;
        return id;
      },
    });
    const orphan = {
      name: 'orphan',
      apply: () => {
        insertOrphan.run();
        counter.value += 1;
        return -1;
      },
    };
    try {
      const settled = await Promise.allSettled([committer.enqueue(parent(1)), committer.enqueue(orphan), committer.enqueue(parent(2))]);
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(String((settled[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      // The batch of three never committed; the two good writes committed alone.
      expect(observer.batchSizes()).toEqual([1, 1]);
      expect(observer.events).toContainEqual({ type: 'dbError', value: 'orphan' });
      expect(counter.value).toBe(2);
      expect(db.prepare('SELECT id FROM parent ORDER BY id').pluck().all()).toEqual([1, 2]);
      expect(db.prepare('SELECT count(*) FROM child').pluck().get()).toBe(0);
      expect(db.inTransaction).toBe(false);
    } finally {
      committer.close();
      db.close();
    }
  });

  it('runs afterCommit outside the transaction, after COMMIT', async () => {
    const db = openRaw();
    const committer = createGroupCommitter(db, { maxBatch: 64, maxWaitMs: 0 }, { snapshot: () => 0, restore: () => {} }, observer);
    const seen: boolean[] = [];
    try {
      await committer.enqueue({
        name: 'sweep',
        apply: () => seen.push(db.inTransaction),
        afterCommit: () => {
          seen.push(db.inTransaction);
          db.pragma('wal_checkpoint(TRUNCATE)');
        },
      });
      expect(seen).toEqual([true, false]);
    } finally {
      committer.close();
      db.close();
    }
  });
});
