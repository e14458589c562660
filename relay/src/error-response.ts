// The central error handler: every error a route throws becomes its answer
// here. HttpError → its JSON body; a schema error → 400 with the issues;
// anything else is logged (without its message, which may quote input) and
// answered 500 `internal` with no detail.
import { $ZodError } from 'zod/v4/core';
import { HttpError } from './http-error.js';
import type { RelayResponse } from './http-types.js';
import type { Logger } from './logger.js';
import { formatIssues, json } from './routes/context.js';

export function errorResponse(error: unknown, logger: Logger): RelayResponse {
  if (error instanceof HttpError) {
    const response = json(error.status, error.toBody());
    Object.assign(response.headers, error.headers);
    return response;
  }
  if (error instanceof $ZodError) {
    return json(400, { error: 'invalid_request', message: 'The request does not match the API.', issues: formatIssues(error.issues) });
  }
  const err: Error & { code?: unknown } = error instanceof Error ? error : new Error(String(error));
  logger.error('internal_error', {
    error: err.name,
    code: typeof err.code === 'string' ? err.code : undefined,
    // The stack's frames say where; its first line (the message) is left out.
    stack: err.stack?.split('\n').slice(1, 8).join('\n'),
  });
  return json(500, { error: 'internal', message: 'Something went wrong in the relay; please try again.' });
}
