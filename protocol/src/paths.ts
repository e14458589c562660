// The API's paths, relative to the relay's origin (PROTOCOL.md "HTTP API"). A
// module of its own, without zod, for clients. The two the reveal page calls
// are functions of their own too, so its bundle keeps only them.

export const secretPath = (id: string) => `/api/secrets/${id}`;
export const revealPath = (id: string) => `/api/secrets/${id}/reveal`;

/** The API paths, relative to the origin. */
export const apiPaths = {
  secrets: '/api/secrets',
  secret: secretPath,
  reveal: revealPath,
  receipt: (id: string) => `/api/secrets/${id}/receipt`,
  config: '/api/config',
  challenge: '/api/challenge',
  healthz: '/healthz',
  readyz: '/readyz',
} as const;
