// The API's paths, relative to the relay's origin (PROTOCOL.md "HTTP API"). A
// module of its own, without zod, for clients.
/** The API paths, relative to the origin. */
export const apiPaths = {
  secrets: '/api/secrets',
  secret: (id: string) => `/api/secrets/${id}`,
  reveal: (id: string) => `/api/secrets/${id}/reveal`,
  receipt: (id: string) => `/api/secrets/${id}/receipt`,
  config: '/api/config',
  challenge: '/api/challenge',
  healthz: '/healthz',
  readyz: '/readyz',
} as const;
