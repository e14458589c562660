// Liveness and readiness for load balancers and the OpenRC supervisor.
import { HttpError } from '../http-error.js';
import { json, type RouteContext, type RouteDeps } from './context.js';

export function healthz() {
  return json(200, { status: 'ok' });
}

export function readyz(_ctx: RouteContext, deps: RouteDeps) {
  if (!deps.store.ready())
    throw new HttpError(503, 'storage_full', 'Not ready: the database does not answer or has no room for new secrets.');
  return json(200, { status: 'ok' });
}
