// What an HTTP engine adapter offers the rest of the relay.

export interface EngineOptions {
  host: string;
  port: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export interface RunningEngine {
  readonly engine: 'hyper-express' | 'node';
  readonly port: number;
  /** Requests whose response has not been sent yet. */
  readonly inFlight: number;
  /** Stops accepting, lets in-flight requests finish (up to `timeoutMs`), then closes every connection. */
  close(timeoutMs: number): Promise<void>;
}

/** Waits until `done()` holds or the deadline passes (polling; shutdown only). */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return done();
}
