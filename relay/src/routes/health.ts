// Liveness and readiness for load balancers and the OpenRC supervisor.
import { HttpError } from '../http-error.js';
import { json, type RouteContext, type RouteDeps } from './context.js';

export function healthz() {
  return json(200, { status: 'ok' });
}

export async function readyz(_ctx: RouteContext, deps: RouteDeps) {
  const readiness = await deps.store.ready();
  if (readiness === 'storage_full') throw new HttpError(503, 'storage_full', 'Not ready: the database has no room for new secrets.');
  if (readiness === 'storage_unavailable') throw new HttpError(503, 'storage_unavailable', 'Not ready: the database does not answer.');
  return json(200, { status: 'ok' });
}
