import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import * as api from './api.js';
import * as apiNames from './names.js';
import * as responseSchemas from './response-schemas.js';
import * as responseParsers from './responses.js';
import { admit, type JsonSchema, ShapeError } from './shape.js';

/** Every response body a client reads, by the name its zod schema has in api.ts. */
const RESPONSES = {
  LookResponse: api.LookResponse,
  RevealResponse: api.RevealResponse,
  ErrorResponse: api.ErrorResponse,
  CreateSecretResponse: api.CreateSecretResponse,
  ReceiptResponse: api.ReceiptResponse,
  RelayConfigResponse: api.RelayConfigResponse,
  ProofOfWorkChallenge: api.ProofOfWorkChallenge,
  HealthResponse: api.HealthResponse,
} as const;
type Name = keyof typeof RESPONSES;
const NAMES = Object.keys(RESPONSES) as Name[];
const generated: Record<Name, JsonSchema> = { ...responseSchemas };
const responses = { ...responseParsers };

/** What `z.toJSONSchema` writes for a response, as a client reads it (io: input), without `$schema`. */
function jsonSchemaOf(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
  return rest as JsonSchema;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** response-schemas.ts as it must read: generated from api.ts, formatted as the house formatter does. */
function generatedSource(): string {
  const header = [
    '// Generated from api.ts by responses.test.ts; do not edit. To write it again after',
    '// changing a response schema: `pnpm vitest run protocol/src/responses.test.ts -u`.',
    '// The JSON Schema (draft 2020-12) of each response body a client reads, as',
    "// zod's `z.toJSONSchema(schema, { io: 'input' })` writes it; shape.ts checks it.",
    "// The lists of names are names.ts's, referred to, not written again.",
  ];
  let body = NAMES.map((name) => `export const ${name}: JsonSchema = ${JSON.stringify(jsonSchemaOf(RESPONSES[name]))};\n`).join('\n');
  const used: string[] = [];
  for (const [name, list] of Object.entries(apiNames)) {
    const written = JSON.stringify(list);
    if (!body.includes(written)) continue;
    body = body.replaceAll(written, name);
    used.push(name);
  }
  const imports = [
    ...(used.length > 0 ? [`import { ${used.sort().join(', ')} } from './names.js';`] : []),
    "import type { JsonSchema } from './shape.js';",
    '',
  ];
  return execFileSync(`${ROOT}node_modules/.bin/biome`, ['format', '--stdin-file-path=protocol/src/response-schemas.ts'], {
    cwd: ROOT,
    input: [...header, ...imports, body].join('\n'),
    encoding: 'utf8',
  });
}

describe('response-schemas.ts', () => {
  it('is what zod writes for the schemas of api.ts today', async () => {
    await expect(generatedSource()).toMatchFileSnapshot('./response-schemas.ts');
  });

  it('uses only the keywords shape.ts knows', () => {
    const known = new Set([
      'type',
      'properties',
      'required',
      'additionalProperties',
      'propertyNames',
      'items',
      'anyOf',
      'enum',
      'const',
      'pattern',
      'minLength',
      'maxLength',
      'minimum',
      'maximum',
    ]);
    const walk = (schema: unknown, path: string): void => {
      if (typeof schema !== 'object' || schema === null) return;
      for (const [key, value] of Object.entries(schema)) {
        expect(known.has(key), `${path}: ${key}`).toBe(true);
        if (key === 'properties') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
        else if (key === 'anyOf') for (const [i, v] of (value as unknown[]).entries()) walk(v, `${path}|${i}`);
        else if (['items', 'additionalProperties', 'propertyNames'].includes(key)) walk(value, `${path}.${key}`);
      }
    };
    for (const name of NAMES) walk(generated[name], name);
  });
});

/** Values near `schema`: mostly valid ones, with any node now and then replaced by arbitrary JSON, keys dropped, keys added. */
function near(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const noise = fc.jsonValue({ maxDepth: 2 });
  const valid = ((): fc.Arbitrary<unknown> => {
    if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => near(s, depth + 1)));
    if ('const' in schema) return fc.constant(schema.const);
    if (schema.enum) return fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...schema.enum) }, fc.string({ maxLength: 8 }));
    switch (schema.type) {
      case 'string': {
        const lengths = { minLength: Math.max(0, (schema.minLength ?? 0) - 1), maxLength: Math.min((schema.maxLength ?? 60) + 1, 80) };
        const matching = schema.pattern ? fc.stringMatching(new RegExp(schema.pattern)) : fc.string(lengths);
        // Lengths at and just beyond each bound, in characters every pattern here admits.
        const bounds = [schema.minLength, schema.maxLength].filter((n) => n !== undefined).flatMap((n) => [n - 1, n, n + 1]);
        const edges = fc
          .constantFrom(...bounds, 0)
          .filter((n) => n >= 0)
          .chain((n) => fc.string({ unit: fc.constantFrom('a', '0', 'f'), minLength: n, maxLength: n }));
        return fc.oneof(
          { weight: 12, arbitrary: matching },
          { weight: bounds.length > 0 ? 6 : 0, arbitrary: edges },
          fc.string(lengths),
          fc.string({ ...lengths, unit: 'binary' }),
        );
      }
      case 'integer':
      case 'number': {
        const min = schema.minimum ?? -1e6;
        const max = Math.min(schema.maximum ?? 1e6, 1e6);
        const bounds = [min - 1, min, max, max + 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -0, 0.5];
        return fc.oneof(
          { weight: 12, arbitrary: fc.integer({ min: Math.max(min, -1e6), max }) },
          { weight: 2, arbitrary: fc.constantFrom(...bounds) },
          fc.double({ noNaN: true }),
        );
      }
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(near(schema.items ?? {}, depth + 1), { maxLength: 3 });
      case 'object': {
        const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, near(s, depth + 1)]));
        const extra = schema.additionalProperties
          ? fc.dictionary(fc.string({ maxLength: 70 }), near(schema.additionalProperties, depth + 1), { maxKeys: 3 })
          : fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString')), noise, {
              maxKeys: 2,
            });
        const declared = fc.oneof(
          { weight: 12, arbitrary: fc.record(properties, { requiredKeys: [...(schema.required ?? [])] }) },
          { weight: 1, arbitrary: fc.record(properties, { requiredKeys: [] }) },
        );
        return fc.oneof(
          { weight: 3, arbitrary: declared },
          { weight: 1, arbitrary: fc.tuple(extra, declared).map(([e, d]) => Object.assign(Object.fromEntries(Object.entries(e)), d)) },
        );
      }
      default:
        return noise;
    }
  })();
  return fc.oneof({ weight: depth === 0 ? 12 : 40, arbitrary: valid }, { weight: 1, arbitrary: noise });
}

function verdicts(name: Name, value: unknown) {
  const byZod = RESPONSES[name].safeParse(value);
  let ours: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    ours = { ok: true, value: admit(generated[name], value) };
  } catch (error) {
    ours = { ok: false, error };
  }
  return { byZod, ours };
}

describe('shape.ts and zod agree', () => {
  for (const name of NAMES) {
    it(`on ${name}: the same values pass, with the same result`, () => {
      let passed = 0;
      fc.assert(
        fc.property(near(generated[name]), (value) => {
          const { byZod, ours } = verdicts(name, value);
          expect(ours.ok, JSON.stringify(value)).toBe(byZod.success);
          if (ours.ok && byZod.success) {
            passed++;
            expect(ours.value).toStrictEqual(byZod.data);
          } else if (!ours.ok) expect(ours.error).toBeInstanceOf(ShapeError);
        }),
        { numRuns: 3_000 },
      );
      // The generator must reach both verdicts often, or the agreement says little.
      expect(passed).toBeGreaterThan(100);
      expect(passed).toBeLessThan(2_900);
    });
  }
});

describe('the parsers', () => {
  const look = { expiresAt: '2026-12-01T10:00:00.000Z', viewsLeft: 1, kdf: null };

  it('return a fresh value that keeps only what the protocol declares', () => {
    const body = { ...look, unknown: 'dropped' };
    const parsed = responses.parseLookResponse(body);
    expect(parsed).toStrictEqual(look);
    expect(parsed).not.toBe(body);
  });

  it('name the first place a body differs from the protocol', () => {
    const kdf = { alg: 'scrypt', log2n: 99, r: 8, p: 1, salt: 'A'.repeat(22) };
    expect(() => responses.parseLookResponse({ ...look, kdf })).toThrow(new ShapeError('$.kdf.log2n', 'range'));
    const { viewsLeft: _, ...noViews } = look;
    expect(() => responses.parseLookResponse(noViews)).toThrow(new ShapeError('$.viewsLeft', 'required'));
    expect(() => responses.parseProofOfWorkChallenge({ parameters: {}, signature: '', extra: 1 })).toThrow(ShapeError);
    expect(() => responses.parseRevealResponse('envelope')).toThrow(new ShapeError('$', 'type'));
  });

  it('exist for every response schema, each with its own schema', () => {
    for (const name of NAMES) {
      const parse = (responses as Record<string, unknown>)[`parse${name}`];
      expect(typeof parse, name).toBe('function');
    }
    expect(responses.parseHealthResponse({ status: 'ok' })).toEqual({ status: 'ok' });
    expect(() => responses.parseHealthResponse({ status: 'ko' })).toThrow(ShapeError);
  });
});
