// The route table: path patterns, their templates (the only form that reaches
// logs and metrics), the methods each accepts, and which rate limit applies.

import { getChallenge } from './challenge.js';
import type { RouteHandler } from './context.js';
import { healthz, readyz } from './health.js';
import { createSecret, deleteSecret, getReceipt, lookSecret, revealSecret } from './secrets.js';
import { getRelayConfig } from './settings.js';

export type LimitKind = 'create' | 'read' | null;

export interface Endpoint {
  handler: RouteHandler;
  limit: LimitKind;
}

export interface Route {
  template: string;
  pattern: RegExp;
  methods: Readonly<Record<string, Endpoint>>;
}

const ID = '([^/]+)';

export const ROUTES: readonly Route[] = [
  { template: '/api/secrets', pattern: /^\/api\/secrets$/, methods: { POST: { handler: createSecret, limit: 'create' } } },
  {
    template: '/api/secrets/:id',
    pattern: new RegExp(`^/api/secrets/${ID}$`),
    methods: { GET: { handler: lookSecret, limit: 'read' }, DELETE: { handler: deleteSecret, limit: 'read' } },
  },
  {
    template: '/api/secrets/:id/reveal',
    pattern: new RegExp(`^/api/secrets/${ID}/reveal$`),
    methods: { POST: { handler: revealSecret, limit: 'read' } },
  },
  {
    template: '/api/secrets/:id/receipt',
    pattern: new RegExp(`^/api/secrets/${ID}/receipt$`),
    methods: { GET: { handler: getReceipt, limit: 'read' } },
  },
  // Rate-limited like create (the same bucket): a challenge is only good for a create.
  { template: '/api/challenge', pattern: /^\/api\/challenge$/, methods: { GET: { handler: getChallenge, limit: 'create' } } },
  { template: '/api/config', pattern: /^\/api\/config$/, methods: { GET: { handler: getRelayConfig, limit: 'read' } } },
  { template: '/healthz', pattern: /^\/healthz$/, methods: { GET: { handler: healthz, limit: null } } },
  { template: '/readyz', pattern: /^\/readyz$/, methods: { GET: { handler: readyz, limit: null } } },
];

export interface RouteMatch {
  route: Route;
  params: { id?: string };
}

export function matchRoute(path: string): RouteMatch | null {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match[1] === undefined ? {} : { id: match[1] } };
  }
  return null;
}
