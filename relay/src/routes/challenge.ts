// `GET /api/challenge` (PROTOCOL.md "Proof of work"), and the check the create
// handler runs. One guard per relay (per store), holding its HMAC keys and the
// challenges already used.
import type { ProofOfWork } from '@psst/protocol/api';
import { HttpError } from '../http-error.js';
import { createProofOfWorkGuard, type ProofOfWorkGuard } from '../pow.js';
import type { Store } from '../store/types.js';
import { json, type RouteContext, type RouteDeps } from './context.js';

const guards = new WeakMap<Store, ProofOfWorkGuard>();

export function proofOfWorkGuard(deps: RouteDeps): ProofOfWorkGuard {
  let guard = guards.get(deps.store);
  if (!guard) {
    const { store } = deps;
    guard = createProofOfWorkGuard({ config: deps.config, stats: () => store.stats() });
    guards.set(store, guard);
  }
  return guard;
}

/** Handed out whatever the mode: a client may always prove work, and "off" simply never asks for it. */
export async function getChallenge(ctx: RouteContext, deps: RouteDeps) {
  const guard = proofOfWorkGuard(deps);
  guard.prune(ctx.now);
  return json(200, await guard.challenge(ctx.now));
}

/**
 * Before a create is stored: asks for proof of work when the mode (and, with auto, the pressure) says so.
 * A proof sent when none is asked for is ignored, so a client that solved one anyway is never refused for it.
 */
export async function checkProofOfWork(ctx: RouteContext, deps: RouteDeps, proof: ProofOfWork | undefined): Promise<void> {
  const guard = proofOfWorkGuard(deps);
  if (!(await guard.required(ctx.pastSoftRate(), ctx.now))) return;
  try {
    await guard.check(proof, ctx.now);
  } catch (error) {
    deps.metrics.rejected(error instanceof HttpError && error.code === 'rate_limited' ? 'rate_limited' : 'proof_of_work');
    throw error;
  }
}
