// Graceful shutdown and keep-alive: a client that reuses an idle connection
// just as the relay receives SIGTERM has already sent its request when the
// relay decides what to close. The relay must answer it (saying
// `Connection: close`) rather than reset the connection under it: for a create,
// a reset leaves the client not knowing whether its secret exists.
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINES, sleep, startRelay, useTempDir } from './support.js';

const tmp = useTempDir();

/** Reads one HTTP/1.1 response (headers and a Content-Length body) from a socket; null if the socket ends or resets first. */
function readResponse(socket: net.Socket, timeoutMs: number): Promise<{ head: string; body: string } | null> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const finish = (value: { head: string; body: string } | null) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onEnd);
      socket.off('error', onEnd);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = data.subarray(0, end).toString('latin1');
      const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
      if (data.length >= end + 4 + length) finish({ head, body: data.subarray(end + 4, end + 4 + length).toString('utf8') });
    };
    const onEnd = () => finish(null);
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onEnd);
    socket.once('error', onEnd);
  });
}

const healthz = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n';

describe.each(ENGINES)('graceful shutdown with keep-alive connections (%s)', (engine) => {
  it('answers a request sent on an idle keep-alive connection right after SIGTERM, with Connection: close, then exits 0', async () => {
    const relay = await startRelay({ engine, dbPath: join(tmp.dir, `shutdown-${engine}.db`) });
    const { port } = new URL(relay.origin);
    const sockets = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const socket = net.connect(Number(port), '127.0.0.1', () => resolve(socket));
            socket.once('error', reject);
          }),
      ),
    );
    try {
      // Each connection has served one request and is idle, kept alive.
      for (const socket of sockets) {
        socket.write(healthz);
        const first = await readResponse(socket, 5_000);
        expect(first?.head).toMatch(/^HTTP\/1\.1 200/);
      }
      relay.child.kill('SIGTERM');
      // The clients reuse their connections a moment later, as a busy client would.
      await sleep(20);
      const answers = await Promise.all(
        sockets.map((socket) => {
          const answer = readResponse(socket, 5_000);
          socket.write(healthz);
          return answer;
        }),
      );
      for (const answer of answers) {
        expect(answer, 'the connection was closed under a request already sent').not.toBeNull();
        expect(answer?.head).toMatch(/^HTTP\/1\.1 200/);
        expect(answer?.head).toMatch(/^connection: *close/im);
      }
      expect(await relay.exited).toBe(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await relay.stop('SIGKILL');
    }
  });
});
