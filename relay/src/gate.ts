// The caps a request passes when its headers arrive, before any of its body
// is read (app.ts `admit`): requests in progress on the whole relay, requests
// in progress per client, and the body bytes being buffered at once. A pass
// holds its slots until its answer is sent; nothing here grows with the
// number of clients that come and go (a client's entry lives only while it
// has a request in progress).

export interface GateLimits {
  /** Requests in progress at once on this relay (connections being served); 0: no cap. */
  maxRequests: number;
  /** Requests in progress at once per client (IPv4 address, IPv6 /64); 0: no cap. */
  maxClientRequests: number;
  /** Body bytes being buffered at once, summed over every request; 0: no cap. */
  maxBufferedBytes: number;
}

/** Which cap refused a request (also its psst_requests_rejected_total reason). */
export type GateRefusal = 'connections' | 'concurrency' | 'body_buffer';

export interface GatePass {
  /** Always null: a pass is also an admission that refuses nothing (app.ts `Admission`). */
  readonly refusal: null;
  /** Gives the slots back; only the first call counts. */
  release(): void;
}

export interface Gate {
  /**
   * Lets a request of `client` in, reserving `bodyBytes` of the buffer (its declared length, or the route's
   * limit for a chunked body), or says which cap refuses it; a refused request holds nothing.
   */
  enter(client: string, bodyBytes: number): GatePass | GateRefusal;
  readonly inProgress: number;
  readonly bufferedBytes: number;
  /** Clients with a request in progress. */
  readonly clients: number;
}

/** The counters a pass gives back to; one object per gate. */
interface Counts {
  inProgress: number;
  buffered: number;
  readonly perClient: Map<string, number>;
}

/** One object per admitted request (this runs for every request: no closures). */
class Pass implements GatePass {
  readonly refusal = null;
  #released = false;
  constructor(
    private readonly counts: Counts,
    private readonly client: string,
    private readonly bodyBytes: number,
  ) {}

  release(): void {
    if (this.#released) return;
    this.#released = true;
    const { counts } = this;
    counts.inProgress--;
    counts.buffered -= this.bodyBytes;
    const left = (counts.perClient.get(this.client) ?? 1) - 1;
    if (left > 0) counts.perClient.set(this.client, left);
    else counts.perClient.delete(this.client);
  }
}

export function createGate(limits: GateLimits): Gate {
  const counts: Counts = { inProgress: 0, buffered: 0, perClient: new Map() };
  return {
    enter(client, bodyBytes) {
      if (limits.maxRequests > 0 && counts.inProgress >= limits.maxRequests) return 'connections';
      const held = counts.perClient.get(client) ?? 0;
      if (limits.maxClientRequests > 0 && held >= limits.maxClientRequests) return 'concurrency';
      // A request without a body always passes; a body larger than the whole budget gets in when nothing else is buffered.
      const { buffered } = counts;
      if (limits.maxBufferedBytes > 0 && bodyBytes > 0 && buffered > 0 && buffered + bodyBytes > limits.maxBufferedBytes) {
        return 'body_buffer';
      }
      counts.inProgress++;
      counts.buffered += bodyBytes;
      counts.perClient.set(client, held + 1);
      return new Pass(counts, client, bodyBytes);
    },
    get inProgress() {
      return counts.inProgress;
    },
    get bufferedBytes() {
      return counts.buffered;
    },
    get clients() {
      return counts.perClient.size;
    },
  };
}
