// Group commit: writes queued during one event-loop turn are applied in one
// transaction, in arrival order, and each caller's promise settles only after
// COMMIT has returned (synchronous=FULL: the batch is on disk).
//
// Design kept: the database work stays on the main thread (better-sqlite3 is
// synchronous). While a commit's fsync runs, the event loop is blocked, so the
// requests that arrive meanwhile wait in socket buffers; the next poll phase
// reads all of them, their writes queue up, and one setImmediate flushes them
// together. Batches therefore grow with load by themselves, and a lone write
// waits for nothing but the end of its turn (p50 at 1 client: 0.26 ms grouped,
// 0.28 ms with maxBatch 1).
//
// Measured against it (commit-rate.bench.ts, same run, medians of 3, this
// 2-core machine, shared): the same store inside a worker thread, fed by the
// main thread with whatever queued while the worker was committing. At 32
// clients: creates 13.0k/s main vs 12.4k/s worker, reveals 15.8k vs 13.8k;
// with 50 us of simulated request CPU: 7.9k vs 6.9k and 6.8k vs 7.1k. Only at
// 128 clients with request CPU did the worker lead (creates 9.5k vs 8.4k,
// reveals 12.9k vs 8.2k), and it adds a hop to every write at low load. No
// clear win, against real costs: a second connection for the synchronous
// reads, quota counters mirrored across threads, envelopes copied both ways,
// and reads that could see a commit the main thread has not yet answered.
// So the simpler design stays. (Grouping itself: at 32 clients 3.5x the
// creates and 5.5x the reveals of maxBatch 1, and above synchronous=NORMAL.)
//
// Failure isolation: every operation of a batch of several runs inside its own
// SAVEPOINT, so a failing statement rolls back only its operation. If SQLite
// drops the whole transaction or COMMIT itself fails, the batch is rolled back
// and every operation is retried alone in its own transaction.
import type { Database } from 'better-sqlite3';
import type { StoreObserver } from './types.js';

export interface WriteOp<T> {
  /** Operation name for metrics: create, reveal, wrong_passphrase, delete, sweep. */
  name: string;
  /** Runs inside the batch's transaction; must be safe to run again after a rollback. */
  apply(): T;
  /** Turns an expected error (duplicate id, disk full) into a result; undefined rejects the promise (counted as a db error). */
  recover?(error: unknown): T | undefined;
  /** Runs after COMMIT (outside any transaction), before the caller is answered. */
  afterCommit?(): void;
}

export interface GroupCommitOptions {
  /** Most operations per transaction; 1 means one commit per write. */
  maxBatch: number;
  /** 0: flush at the end of the current event-loop turn. Above 0: wait up to this long for a batch to fill. */
  maxWaitMs: number;
}

export interface GroupCommitter {
  enqueue<T>(op: WriteOp<T>): Promise<T>;
  /** Applies everything queued now, synchronously. */
  flush(): void;
  /** Flushes, then refuses further writes. */
  close(): void;
  readonly pending: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Queued {
  op: WriteOp<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  settled: boolean;
}

/** The state a rolled-back operation must put back (the store's in-memory counters). */
export interface Rollbackable<S> {
  snapshot(): S;
  restore(state: S): void;
}

export function createGroupCommitter<S>(
  db: Database,
  options: GroupCommitOptions,
  state: Rollbackable<S>,
  observer?: StoreObserver,
): GroupCommitter {
  const maxBatch = Math.max(1, Math.floor(options.maxBatch));
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');
  const savepoint = db.prepare('SAVEPOINT op');
  const release = db.prepare('RELEASE op');
  const rollbackTo = db.prepare('ROLLBACK TO op');

  let queue: Queued[] = [];
  let immediate: NodeJS.Immediate | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function settle(item: Queued, outcome: Outcome): void {
    item.settled = true;
    if (outcome.ok) {
      item.resolve(outcome.value);
      return;
    }
    let recovered: unknown;
    try {
      recovered = item.op.recover?.(outcome.error);
    } catch (error) {
      observer?.dbError(item.op.name);
      item.reject(error);
      return;
    }
    if (recovered !== undefined) {
      item.resolve(recovered);
      return;
    }
    observer?.dbError(item.op.name);
    item.reject(outcome.error);
  }

  /**
   * Applies the batch in one transaction and commits it. Returns each operation's
   * outcome (and whether a COMMIT happened), or 'retry' when the transaction as a whole was lost (SQLite rolled it
   * back, or COMMIT failed): then nothing of it happened and the counters are restored.
   */
  function attempt(batch: Queued[]): { committed: boolean; outcomes: Outcome[] } | 'retry' {
    const before = state.snapshot();
    const alone = batch.length === 1;
    const outcomes: Outcome[] = [];
    try {
      begin.run();
    } catch (error) {
      // No transaction (e.g. another process held the write lock past the busy timeout): nothing to retry.
      return { committed: false, outcomes: batch.map(() => ({ ok: false, error })) };
    }
    try {
      for (const item of batch) {
        const opBefore = state.snapshot();
        if (!alone) savepoint.run();
        try {
          outcomes.push({ ok: true, value: item.op.apply() });
          if (!alone) release.run();
        } catch (error) {
          if (alone || !db.inTransaction) throw error;
          rollbackTo.run();
          release.run();
          state.restore(opBefore);
          outcomes.push({ ok: false, error });
        }
      }
      commit.run();
      return { committed: true, outcomes };
    } catch (error) {
      try {
        if (db.inTransaction) rollback.run();
      } finally {
        state.restore(before);
      }
      if (alone) return { committed: false, outcomes: [{ ok: false, error }] };
      return 'retry';
    }
  }

  /** One transaction for the whole batch; see the module comment for failures. */
  function runBatch(batch: Queued[]): void {
    const started = process.hrtime.bigint();
    const result = attempt(batch);
    if (result === 'retry') {
      for (const each of batch) runBatch([each]);
      return;
    }
    const { committed, outcomes } = result;
    if (committed) observer?.commit(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok && item.op.afterCommit) {
        try {
          item.op.afterCommit();
        } catch {
          // The operation itself is durable; only its follow-up (a checkpoint) failed.
          observer?.dbError(`${item.op.name}_after_commit`);
        }
      }
      settle(item, outcome);
    });
  }

  function flush(): void {
    if (immediate !== undefined) clearImmediate(immediate);
    if (timer !== undefined) clearTimeout(timer);
    immediate = undefined;
    timer = undefined;
    // Nothing can enqueue while this runs (it is synchronous): take the whole queue.
    const pending = queue;
    queue = [];
    for (let start = 0; start < pending.length; start += maxBatch) {
      const batch = pending.slice(start, start + maxBatch);
      try {
        runBatch(batch);
      } catch (error) {
        // Only a failing ROLLBACK gets here: the connection is in doubt. Answer every
        // unanswered caller with the error rather than crash the process from a timer.
        for (const item of batch) if (!item.settled) settle(item, { ok: false, error });
      }
    }
  }

  function schedule(): void {
    if (immediate !== undefined) return;
    if (options.maxWaitMs > 0 && queue.length < maxBatch) {
      timer ??= setTimeout(flush, options.maxWaitMs);
      return;
    }
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    immediate = setImmediate(flush);
  }

  return {
    enqueue<T>(op: WriteOp<T>): Promise<T> {
      if (closed) return Promise.reject(new Error('the store is closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ op, resolve: resolve as (value: unknown) => void, reject, settled: false });
        schedule();
      });
    },
    flush,
    close() {
      flush();
      closed = true;
    },
    get pending() {
      return queue.length;
    },
  };
}
