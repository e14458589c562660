// The relay's one error type: a status, a protocol error code, words for
// people, and the extra body fields some codes carry (PROTOCOL.md).
import type { ErrorCode, ErrorResponse } from '@psst/protocol/api';

export type ErrorExtra = Omit<ErrorResponse, 'error' | 'message'>;

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: ErrorExtra = {},
    /** Response headers this error needs (Allow, Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    // An HttpError is an answer, not a fault: no stack trace to capture (a flood of 404s should cost nothing extra).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }

  toBody(): ErrorResponse {
    return { error: this.code, message: this.message, ...this.extra };
  }
}
