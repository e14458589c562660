// The three response bodies the page reads, parsed with the protocol's schemas
// (the contract); anything that does not match is null, never cast.
import { ErrorResponse, LookResponse, RevealResponse } from '@psst/protocol/api';

const parseWith =
  <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }) =>
  (v: unknown): T | null => {
    const result = schema.safeParse(v);
    return result.success ? result.data : null;
  };

export const parseLookResponse = parseWith<LookResponse>(LookResponse);
export const parseRevealResponse = parseWith<RevealResponse>(RevealResponse);
export const parseErrorResponse = parseWith<ErrorResponse>(ErrorResponse);
