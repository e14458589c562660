// What an HTTP engine adapter offers the rest of the relay.

export interface EngineOptions {
  host: string;
  port: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** The lingering close after an early refusal (see linger.ts): how long to keep reading, in ms. */
  lingerTimeoutMs: number;
  /** … and how many bytes at most; null: DEFAULT_LINGER_BODIES create bodies. */
  lingerMaxBytes: number | null;
  /** node:http: open connections past this get a 503 to their first request and close (0: no cap). */
  maxConnections: number;
}

export interface RunningEngine {
  readonly engine: 'hyper-express' | 'node';
  readonly port: number;
  /** Requests whose response has not been sent yet. */
  readonly inFlight: number;
  /** Stops accepting, lets in-flight requests finish (up to `timeoutMs`), then closes every connection. */
  close(timeoutMs: number): Promise<void>;
}

/**
 * On close, how long an engine keeps its open connections after it stops accepting new ones. A keep-alive
 * client may have sent its next request on an idle connection just before the relay got SIGTERM; closing
 * that connection at once would reset a request already sent (for a create: a secret the client cannot know
 * exists). During this grace every request is answered with `Connection: close`; what is still idle after
 * it is closed.
 */
export const DRAIN_GRACE_MS = 250;

/** What an engine does at each step of `drain`. */
export interface DrainSteps {
  /** Closes the listener; open connections stay, and the engine answers with Connection: close from now on. */
  stopAccepting(): void;
  /** Closes the connections with no request on them. */
  closeIdle(): void;
  inFlight(): number;
  /** Closes whatever is left. */
  closeAll(): void;
}

/**
 * The shutdown both engines share: stop accepting, keep the open connections for DRAIN_GRACE_MS, close
 * the idle ones, let the requests in flight finish (all of it within `timeoutMs`), then close the rest.
 */
export async function drain(timeoutMs: number, steps: DrainSteps): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  steps.stopAccepting();
  await new Promise((resolve) => setTimeout(resolve, Math.min(DRAIN_GRACE_MS, timeoutMs)));
  steps.closeIdle();
  await waitFor(() => steps.inFlight() === 0, Math.max(0, deadline - Date.now()));
  steps.closeAll();
}

/** Waits until `done()` holds or the deadline passes (polling; shutdown only). */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return done();
}
