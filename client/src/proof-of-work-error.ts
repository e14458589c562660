// How solving a proof of work fails, in a module of its own: the words for
// failures (composer-ui, the CLI) recognise it without pulling the solver,
// a lazy chunk in a page bundle (create-link.ts), into what loads at once.

export type ProofOfWorkFailure = 'unsupported' | 'too_costly' | 'unsolved' | 'aborted';

/** The challenge cannot or should not be solved; no create was sent with it. */
export class ProofOfWorkError extends Error {
  override name = 'ProofOfWorkError';
  constructor(
    readonly reason: ProofOfWorkFailure,
    message: string,
  ) {
    super(message);
  }
}
