// Raw-socket clients for the refuse-before-reading tests (gate-*.test.ts): a
// request whose head is sent while its body is held back, and a slow sender
// that pushes a large body a little at a time, as an attacker would. The
// request head and the answer parser serve linger.test.ts's uploads too.
import net from 'node:net';

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A request on its own connection: the head is sent at once, the body only when the test says. */
export interface HeldRequest {
  socket: net.Socket;
  /** Resolves with the first complete answer (interim 1xx answers skipped), or null if the connection ends without one. */
  answer: Promise<WireAnswer | null>;
  /** Body bytes written so far. */
  readonly sent: number;
  write(bytes: Buffer | string): void;
}

export function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = Object.entries({ host: '127.0.0.1', ...headers }).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Opens a connection and sends `head`; nothing more until `write`. */
export function holdRequest(port: number, head: string): HeldRequest {
  // Half-open allowed: the client goes on holding (or writing) its body after the relay's FIN.
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let sent = 0;
  socket.on('connect', () => socket.write(head));
  const answer = readAnswer(socket);
  return {
    socket,
    answer,
    get sent() {
      return sent;
    },
    write(bytes) {
      sent += Buffer.byteLength(bytes);
      if (!socket.destroyed) socket.write(bytes);
    },
  };
}

/**
 * The first answer in `received` once its head and its Content-Length body (none: empty) are all there, and
 * the bytes after it; null until then.
 */
export function parseAnswer(received: Buffer): { answer: WireAnswer; rest: Buffer } | null {
  const end = received.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const lines = received.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyEnd = end + 4 + Number(headers['content-length'] ?? 0);
  if (received.length < bodyEnd) return null;
  return { answer: { status, headers, body: received.subarray(end + 4, bodyEnd).toString('utf8') }, rest: received.subarray(bodyEnd) };
}

/** The first complete final answer on `socket` (interim 1xx answers skipped), or null if it closes or fails first. */
export function readAnswer(socket: net.Socket): Promise<WireAnswer | null> {
  return new Promise((resolve) => {
    let received: Buffer = Buffer.alloc(0);
    let settled = false;
    const settle = (value: WireAnswer | null) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      received = Buffer.concat([received, chunk]);
      for (let parsed = parseAnswer(received); parsed; parsed = parseAnswer(received)) {
        received = parsed.rest;
        if (parsed.answer.status >= 100 && parsed.answer.status < 200) continue;
        settle(parsed.answer);
        return;
      }
    });
    socket.on('error', () => settle(null));
    socket.on('close', () => settle(null));
  });
}

/** Resolves with `promise`'s value, or `fallback` once `ms` have passed. */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

export interface SlowSender {
  /** Connections opened so far, answers seen (by status) and connections the relay ended. */
  readonly stats: { connections: number; answers: Record<string, number> };
  /** Stops sending and closes every connection. */
  stop(): void;
}

/**
 * `connections` attackers at once, each sending `head` and then `chunk` every `intervalMs` until `bodyBytes`
 * are written; whatever the relay answers, an attacker ignores it and keeps writing until the relay closes
 * the connection (or the whole body is out and answered), then opens a new one, until `stop`.
 */
export function startSlowSenders(
  port: number,
  head: string,
  bodyBytes: number,
  chunk: Buffer,
  intervalMs: number,
  connections: number,
): SlowSender {
  const stats = { connections: 0, answers: {} as Record<string, number> };
  const open = new Set<net.Socket>();
  let stopped = false;
  const launch = () => {
    if (stopped) return;
    stats.connections++;
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    open.add(socket);
    let written = 0;
    let answered = false;
    let ticker: NodeJS.Timeout | undefined;
    // Once the whole body is out and answered, the next attack starts on a new connection.
    const next = () => {
      if (answered && written >= bodyBytes) socket.destroy();
    };
    socket.on('connect', () => {
      socket.write(head);
      ticker = setInterval(() => {
        if (written >= bodyBytes || socket.destroyed) return;
        const part = chunk.subarray(0, Math.min(chunk.length, bodyBytes - written));
        written += part.length;
        socket.write(part);
        next();
      }, intervalMs);
    });
    readAnswer(socket).then((answer) => {
      const key = answer ? String(answer.status) : 'none';
      stats.answers[key] = (stats.answers[key] ?? 0) + 1;
      answered = true;
      next();
    });
    // The relay's FIN (its answer is out) does not stop an attacker: it writes on until the connection is closed.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearInterval(ticker);
      open.delete(socket);
      launch();
    });
  };
  for (let i = 0; i < connections; i++) launch();
  return {
    stats,
    stop() {
      stopped = true;
      for (const socket of open) socket.destroy();
    },
  };
}
