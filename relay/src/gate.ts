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

export function createGate(limits: GateLimits): Gate {
  const perClient = new Map<string, number>();
  let inProgress = 0;
  let buffered = 0;
  return {
    enter(client, bodyBytes) {
      if (limits.maxRequests > 0 && inProgress >= limits.maxRequests) return 'connections';
      const held = perClient.get(client) ?? 0;
      if (limits.maxClientRequests > 0 && held >= limits.maxClientRequests) return 'concurrency';
      // A request without a body always passes; a body larger than the whole budget gets in when nothing else is buffered.
      if (limits.maxBufferedBytes > 0 && bodyBytes > 0 && buffered > 0 && buffered + bodyBytes > limits.maxBufferedBytes) {
        return 'body_buffer';
      }
      inProgress++;
      buffered += bodyBytes;
      perClient.set(client, held + 1);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          inProgress--;
          buffered -= bodyBytes;
          const left = (perClient.get(client) ?? 1) - 1;
          if (left > 0) perClient.set(client, left);
          else perClient.delete(client);
        },
      };
    },
    get inProgress() {
      return inProgress;
    },
    get bufferedBytes() {
      return buffered;
    },
    get clients() {
      return perClient.size;
    },
  };
}
