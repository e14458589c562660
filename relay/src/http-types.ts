// The engine-agnostic request and response values: the adapters (node:http,
// hyper-express) translate to and from these, so both engines give the same
// answers byte for byte.

/** The adapter stopped reading because the body was over the route's limit. */
export const BODY_TOO_LARGE = Symbol('body too large');

export interface RelayRequest {
  /** Upper-case method as received. */
  method: string;
  /** The URL path, query string removed, not decoded. */
  path: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The TCP peer's address as the engine reports it. */
  peerAddress: string;
  body: Uint8Array | typeof BODY_TOO_LARGE;
}

/** A request whose body was read whole: what route handlers get (app.ts refuses BODY_TOO_LARGE before them). */
export type ReadRequest = RelayRequest & { body: Uint8Array };

export function hasBody(req: RelayRequest): req is ReadRequest {
  return req.body !== BODY_TOO_LARGE;
}

export interface RelayResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  /** Close the connection after the response (part of the request body was left unread). */
  close?: boolean;
}
