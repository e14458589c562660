// A checker for the JSON Schema that zod writes for the API's response bodies
// (response-schemas.ts, generated from api.ts by `z.toJSONSchema`). Clients
// parse every response with it, so no client bundles zod: the relay validates
// with zod, the contract stays written once (in api.ts), and the reveal page
// stays inside its 30 KB. It knows exactly the keywords those schemas use
// (shape.test.ts fails on any other) and agrees with zod on every value
// (responses.test.ts holds the two to the same verdicts and results).

/** The subset of JSON Schema (draft 2020-12) that `z.toJSONSchema` writes for api.ts's responses. */
export interface JsonSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';
  readonly properties?: { readonly [key: string]: JsonSchema };
  readonly required?: readonly string[];
  /** false: unknown keys are refused (zod's strictObject); a schema: every key is kept and checked (a record); absent: unknown keys are dropped (zod's object). */
  readonly additionalProperties?: false | JsonSchema;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly const?: string | number | boolean | null;
  readonly pattern?: string;
  /** In UTF-16 code units, as zod counts (JSON Schema would count code points; no schema here admits both kinds). */
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** A response body that is not what the protocol says; `path` names the first place it differs (`$.kdf.salt`). */
export class ShapeError extends Error {
  override name = 'ShapeError';
  constructor(
    readonly path: string,
    readonly keyword: string,
  ) {
    super(`${path} does not satisfy "${keyword}"`);
  }
}

/**
 * `value` as `schema` admits it, built afresh (an object keeps only its
 * declared properties, unless the schema is a record), as zod's parse returns
 * it. Throws ShapeError.
 */
export function admit(schema: JsonSchema, value: unknown, path = '$'): unknown {
  const fail = (keyword: string): never => {
    throw new ShapeError(path, keyword);
  };
  if (schema.anyOf) {
    let first: unknown;
    for (const option of schema.anyOf) {
      try {
        return admit(option, value, path);
      } catch (error) {
        first ??= error; // for a nullable value, the reason the value itself failed
      }
    }
    throw first;
  }
  if ('const' in schema && value !== schema.const) fail('const');
  if (schema.enum && !schema.enum.includes(value as string)) fail('enum');
  const type = schema.type;
  if (type === 'string') {
    if (typeof value !== 'string') fail('type');
    const text = value as string;
    if (text.length < (schema.minLength ?? 0) || text.length > (schema.maxLength ?? Infinity)) fail('length');
    if (schema.pattern && !new RegExp(schema.pattern).test(text)) fail('pattern');
    return text;
  }
  if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || !(type === 'integer' ? Number.isInteger(value) : Number.isFinite(value))) fail('type');
    if ((value as number) < (schema.minimum ?? -Infinity) || (value as number) > (schema.maximum ?? Infinity)) fail('range');
    return value;
  }
  if (type === 'boolean' || type === 'null') {
    if (type === 'boolean' ? typeof value !== 'boolean' : value !== null) fail('type');
    return value;
  }
  if (type === 'array') {
    if (!Array.isArray(value)) fail('type');
    return (value as unknown[]).map((item, i) => admit(schema.items ?? {}, item, `${path}[${i}]`));
  }
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('type');
    const record = value as Record<string, unknown>;
    const properties = schema.properties ?? {};
    const extra = schema.additionalProperties;
    const out: [string, unknown][] = [];
    // Declared properties first, in their order (as zod builds its result), then a record's keys.
    for (const key of Object.keys(properties)) {
      if (Object.hasOwn(record, key)) out.push([key, admit(properties[key] as JsonSchema, record[key], `${path}.${key}`)]);
      else if (schema.required?.includes(key)) throw new ShapeError(`${path}.${key}`, 'required');
    }
    if (extra !== undefined)
      for (const key of Object.keys(record)) {
        if (Object.hasOwn(properties, key)) continue;
        if (extra === false) throw new ShapeError(`${path}.${key}`, 'additionalProperties');
        if (schema.propertyNames) admit(schema.propertyNames, key, `${path}.${key}`);
        out.push([key, admit(extra, record[key], `${path}.${key}`)]);
      }
    // fromEntries defines own properties: a key "__proto__" stays a key.
    return Object.fromEntries(out);
  }
  return value;
}
