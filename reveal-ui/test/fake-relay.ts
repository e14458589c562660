// A `fetch` that answers Look and Reveal like the relay does (PROTOCOL.md),
// for the component tests: the only thing mocked at the unit level. The
// end-to-end test uses the real relay.
import { decodeB64u, encodeB64u } from '@psst/protocol/b64u';
import { verifierOf } from '@psst/protocol/key-schedule';
import { MAX_PASSPHRASE_ATTEMPTS } from '@psst/protocol/limits';
import { envelopeKdf, type SealInput, sealSecret } from '@psst/protocol/secret';

export const ORIGIN = 'https://psst.test';

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | null;
  body: string | null;
}

interface Stored {
  envelope: Uint8Array;
  accessVerifier: string;
  passphraseVerifier?: string;
  viewsLeft: number;
  attemptsLeft: number;
  expiresAt: string;
  gone?: { reason: 'read' | 'expired' | 'deleted' | 'burned'; at: string };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const notFound = () => json(404, { error: 'not_found', message: 'No such secret.' });

export function createFakeRelay() {
  const secrets = new Map<string, Stored>();
  const requests: RecordedRequest[] = [];
  let nextId = 0;
  /** Answers the next requests instead of the relay logic, in order. */
  const queued: (() => Response | Promise<Response>)[] = [];

  async function handle(url: URL, method: string, authorization: string | null, body: string | null): Promise<Response> {
    const match = /^\/api\/secrets\/([A-Za-z0-9_-]{22})(\/reveal)?$/.exec(url.pathname);
    if (!match) return json(404, { error: 'not_found', message: 'No route.' });
    const stored = secrets.get(match[1] as string);
    const token = authorization?.replace(/^Bearer /, '') ?? '';
    if (!stored || verifierOf(decodeB64u(token)) !== stored.accessVerifier) return notFound();
    if (stored.gone) return json(410, { error: 'gone', message: 'Gone.', ...stored.gone });
    const kdf = envelopeKdf(stored.envelope);
    if (!match[2]) {
      if (method !== 'GET') return json(405, { error: 'method_not_allowed', message: 'No.' });
      const description = kdf ? { alg: 'scrypt', log2n: kdf.log2n, r: kdf.r, p: kdf.p, salt: encodeB64u(kdf.salt) } : null;
      return json(200, { expiresAt: stored.expiresAt, viewsLeft: stored.viewsLeft, kdf: description });
    }
    if (method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'No.' });
    const request = JSON.parse(body ?? '{}') as { passphraseToken?: string };
    if (stored.passphraseVerifier) {
      const pt = request.passphraseToken ? verifierOf(decodeB64u(request.passphraseToken)) : '';
      if (pt !== stored.passphraseVerifier) {
        stored.attemptsLeft -= 1;
        if (stored.attemptsLeft === 0) stored.gone = { reason: 'burned', at: new Date().toISOString() };
        return json(403, { error: 'wrong_passphrase', message: 'Wrong passphrase.', attemptsLeft: stored.attemptsLeft });
      }
    }
    stored.viewsLeft -= 1;
    if (stored.viewsLeft === 0) stored.gone = { reason: 'read', at: new Date().toISOString() };
    return json(200, { envelope: encodeB64u(stored.envelope), viewsLeft: stored.viewsLeft });
  }

  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === 'string' ? init.body : null;
    const method = init?.method ?? 'GET';
    requests.push({ method, url: url.href, authorization: headers.get('Authorization'), body });
    const next = queued.shift();
    if (next) return next();
    if (url.origin !== ORIGIN) throw new TypeError('Failed to fetch');
    return handle(url, method, headers.get('Authorization'), body);
  };

  return {
    fetch: fetchImpl,
    requests,
    /** Makes the next request(s) answer with these, in order (a thrown error is a network failure). */
    queue(...responses: (() => Response | Promise<Response>)[]) {
      queued.push(...responses);
    },
    /** Seals a secret with the protocol and stores it; returns the link. */
    async add(input: Partial<SealInput> & { views?: number; gone?: Stored['gone']; expiresAt?: string } = {}) {
      const { views = 1, gone, expiresAt = new Date(Date.now() + 3_600_000).toISOString(), ...seal } = input;
      const sealed = await sealSecret({ meta: { type: 'text' }, body: 'hello', kdf: { log2n: 4, r: 8, p: 1 }, ...seal });
      const id = encodeB64u(new Uint8Array(16).fill(++nextId));
      const stored: Stored = {
        envelope: sealed.envelope,
        accessVerifier: sealed.accessVerifier,
        viewsLeft: views,
        attemptsLeft: MAX_PASSPHRASE_ATTEMPTS,
        expiresAt,
      };
      if (sealed.passphraseVerifier) stored.passphraseVerifier = sealed.passphraseVerifier;
      if (gone) stored.gone = gone;
      secrets.set(id, stored);
      return { id, key: sealed.key, link: `${ORIGIN}/s/${id}#${encodeB64u(sealed.key)}`, stored, accessToken: encodeB64u(sealed.keys.at) };
    },
  };
}

export { json };
