// `GET /api/config`: the relay's limits, so that clients bound their choices
// and refuse a too large secret before encrypting it. No authentication: it
// says nothing that a create attempt would not reveal.
import type { RelayConfigResponse } from '@psst/protocol/api';
import type { Config } from '../config.js';
import { json, type RouteContext, type RouteDeps } from './context.js';

export function relaySettings(config: Config): RelayConfigResponse {
  return {
    version: 1,
    maxTtlSeconds: config.maxTtlSeconds,
    maxViews: config.maxViews,
    maxEnvelopeBytes: config.maxEnvelopeBytes,
    createEnabled: config.createEnabled,
    proofOfWork: config.proofOfWork,
  };
}

export function getRelayConfig(_ctx: RouteContext, deps: RouteDeps) {
  return json(200, relaySettings(deps.config));
}
