import { RevealRequest } from '@psst/protocol/api';
import { describe, expect, it } from 'vitest';
import { errorResponse } from './error-response.js';
import { HttpError } from './http-error.js';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(line)) };
}

describe('errorResponse', () => {
  it('turns an HttpError into its status, JSON body and headers', () => {
    const { logger, lines } = capture();
    const response = errorResponse(new HttpError(429, 'rate_limited', 'Slow down.', { retryAfter: 3 }, { 'retry-after': '3' }), logger);
    expect(response.status).toBe(429);
    expect(response.headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'retry-after': '3' });
    expect(JSON.parse(response.body as string)).toEqual({ error: 'rate_limited', message: 'Slow down.', retryAfter: 3 });
    expect(lines).toEqual([]);
  });

  it('turns a schema error into 400 invalid_request with the flattened issues', () => {
    const result = RevealRequest.safeParse({ passphraseToken: 'short', other: 1 });
    expect(result.success).toBe(false);
    const response = errorResponse(result.error, capture().logger);
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body as string);
    expect(body.error).toBe('invalid_request');
    expect(body.issues).toContainEqual({ path: 'passphraseToken', message: 'must be base64url of 32 bytes' });
  });

  it('answers anything else with a bare 500 and logs where, never the message', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('UNIQUE constraint failed: AAAAAAAAAAAAAAAAAAAAAA'), { code: 'SQLITE_CONSTRAINT' });
    const response = errorResponse(error, logger);
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body as string)).toEqual({
      error: 'internal',
      message: 'Something went wrong in the relay; please try again.',
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line).toMatchObject({ level: 'error', event: 'internal_error', error: 'Error', code: 'SQLITE_CONSTRAINT' });
    expect(line.stack).toContain('error-response.test.ts');
    expect(lines[0]).not.toContain('AAAAAAAAAAAAAAAAAAAAAA');
    expect(errorResponse('a string', logger).status).toBe(500);
  });
});
