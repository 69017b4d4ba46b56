import fc from 'fast-check';

/**
 * fast-check arbitraries from the OpenAPI document's schemas: values that keep the schema most of
 * the time, and values just off it (a missing required field, an unknown field, a wrong type,
 * odd text) the rest, so both the accepting and the refusing paths of a route are exercised.
 */

type Schema = Record<string, unknown>;

/** Texts a route meets in practice, and the awkward ones. */
const TEXTS = [
  'utas',
  'utokyo-vpn',
  'mfa-mandatory',
  'students',
  'faculty-staff',
  'fuzz-service',
  'ready',
  'not-ready',
  'enforce',
  'report-only',
  'webhook',
  'pull',
  '2024-03-01',
  '2027-04-01',
  '2024-03-01T00:00:00+09:00',
  '2024-03-01T00:00:00Z',
  '2024-03-01T00:00:00',
  '2024-02-30',
  'Asia/Tokyo',
  'Mars/Olympus',
  'https://example.org/notice',
  'http://127.0.0.1:4000/hook',
  '',
  ' ',
  'UPPER',
  '../etc',
  'x'.repeat(300),
  '東京',
  '=1+1',
];

export interface ArbitraryOptions {
  /** Resolves `#/components/schemas/X`. */
  components: Record<string, Schema>;
}

const resolve = (schema: Schema, options: ArbitraryOptions): Schema => {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    return options.components[ref.replace('#/components/schemas/', '')] ?? {};
  }
  return schema;
};

const anyJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...TEXTS),
    fc.integer({ min: -3, max: 3 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
  );

/** A value for a schema; `depth` bounds nesting (plans nest phases, scopes, selectors). */
export function arbitraryFor(input: Schema, options: ArbitraryOptions, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input, options);
  if (depth > 5) {
    return anyJson();
  }
  const variants = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (variants) {
    return fc.oneof(...variants.map((s) => arbitraryFor(s, options, depth + 1)));
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    return arbitraryFor({ ...schema, allOf: undefined, ...(schema.allOf[0] as Schema) }, options, depth);
  }
  const on = ((): fc.Arbitrary<unknown> => {
    if (Array.isArray(schema.enum)) {
      return fc.constantFrom(...(schema.enum as unknown[]));
    }
    switch (schema.type) {
      case 'string':
        return fc.oneof(fc.constantFrom(...TEXTS), fc.string({ maxLength: 12 }));
      case 'integer':
      case 'number':
        return fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer(), fc.constant(2_147_483_648));
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(arbitraryFor((schema.items as Schema | undefined) ?? {}, options, depth + 1), {
          maxLength: 3,
        });
      case 'object':
        return objectFor(schema, options, depth);
      default:
        return schema.properties ? objectFor(schema, options, depth) : anyJson();
    }
  })();
  // One value in eight is off the schema: the route must refuse it, never fail on it.
  return fc.oneof({ weight: 7, arbitrary: on }, { weight: 1, arbitrary: anyJson() });
}

function objectFor(schema: Schema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const fields = Object.fromEntries(
    Object.entries(properties).map(([name, property]) => [
      name,
      fc.option(arbitraryFor(property, options, depth + 1), {
        // Required fields are nearly always sent, optional ones half the time.
        freq: required.has(name) ? 20 : 2,
        nil: undefined,
      }),
    ]),
  );
  return fc
    .tuple(
      fc.record(fields),
      // One object in ten carries a field no schema lists.
      fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyJson() }),
    )
    .map(([value, extra]) => {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined) {
          out[key] = v;
        }
      }
      if (extra !== undefined) {
        out.fuzzUnknownField = extra;
      }
      return out;
    });
}
