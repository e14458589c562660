// The lingering close both adapters use for an answer sent before the body
// was read (RFC 9112 §9.6, nginx's lingering_close). Closing a socket that
// still has unread bytes makes the kernel send a reset, and a client that is
// still writing its body then sees EPIPE/ECONNRESET instead of the answer. So
// the rest of the body is read and dropped (never kept) until it ends, or for
// at most `timeoutMs` and `maxBytes`, and only then is the connection closed.
// node:http answers first and reads afterwards (a true lingering close);
// uWebSockets.js cannot touch a connection once it has answered, so there the
// body is read and dropped first and the answer follows (see hyper-express.ts).
import type { App } from '../app.js';

export interface LingerBounds {
  /** How long the relay keeps reading after deciding to refuse; 0: close at once. */
  timeoutMs: number;
  /** How many bytes it reads and drops at most. */
  maxBytes: number;
}

/** PSST_LINGER_MAX_BYTES unset: this many create bodies (an upload up to this many times too large is heard out). */
export const DEFAULT_LINGER_BODIES = 4;

/** The bounds of this relay: the configured ones, the byte bound defaulting to DEFAULT_LINGER_BODIES create bodies. */
export function lingerBounds(app: App, timeoutMs: number, maxBytes: number | null): LingerBounds {
  return { timeoutMs, maxBytes: maxBytes ?? DEFAULT_LINGER_BODIES * app.bodyLimit('POST', '/api/secrets') };
}

/** Why a linger ended: the body ended (nothing is left unread), or a bound was reached. */
export type LingerEnd = 'complete' | 'timeout' | 'bytes';

export interface Linger {
  /** Counts `bytes` read and dropped; ends the linger with 'bytes' once they pass the bound. */
  discard(bytes: number): void;
  /** Ends the linger (only the first call counts). */
  end(reason: LingerEnd): void;
  readonly ended: boolean;
}

/**
 * Starts counting for one refused request: `onEnd` runs exactly once, when the engine says the body is
 * complete, when more than `maxBytes` were dropped, or after `timeoutMs`, whichever comes first.
 */
export function startLinger(bounds: LingerBounds, onEnd: (reason: LingerEnd) => void): Linger {
  let dropped = 0;
  let ended = false;
  const end = (reason: LingerEnd) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    onEnd(reason);
  };
  const timer = setTimeout(() => end('timeout'), bounds.timeoutMs);
  return {
    discard(bytes) {
      dropped += bytes;
      if (dropped > bounds.maxBytes) end('bytes');
    },
    end,
    get ended() {
      return ended;
    },
  };
}
