// What the reveal page takes from the protocol package, as one entry, so
// size.mjs can report the protocol's share of the page on its own.

export { decodeB64u, encodeB64u } from '@psst/protocol/b64u';
export { deriveAccessToken, deriveKeysFrom, derivePassphraseKey } from '@psst/protocol/key-schedule';
export { parseLink } from '@psst/protocol/link';
export { parseErrorResponse, parseLookResponse, parseRevealResponse } from '@psst/protocol/responses';
export { decodeText, openSecret } from '@psst/protocol/secret';
