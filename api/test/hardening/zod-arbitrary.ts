/**
 * fast-check arbitraries from zod 4 schemas, for fuzzing routes and socket events: `valid(schema)`
 * generates values the schema is meant to accept (best effort: refinements are not solved), and
 * `hostile(schema)` generates those values with one part replaced by something nasty — a wrong
 * type, a huge or odd string, an extreme number, extra fields, injection strings, deep nesting.
 */
import fc from 'fast-check';
import type { z } from 'zod';

interface Def {
  type: string;
  coerce?: boolean;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (d: Def) => (d.checks ?? []).map((c) => c._zod.def);

/** Values every route must survive wherever a value goes. */
export const NASTY: unknown[] = [
  null,
  true,
  0,
  -1,
  -2147483649,
  2 ** 53 + 2,
  1e308,
  -1e308,
  0.1 + 0.2,
  '',
  ' ',
  'NaN',
  'Infinity',
  '-0',
  '9'.repeat(400),
  'x'.repeat(20_000),
  "' OR '1'='1' -- ",
  '1; DROP TABLE users; --',
  '" OR ""="',
  "admin'/*",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '../../../../etc/passwd',
  '%00%0d%0aSet-Cookie: x=1',
  '\u0000\u0001\u001f',
  '\u202e\u200b\ufeff',
  '😀👩‍👩‍👧‍👦🇨🇳',
  '𠜎𠜱𠝹𠱓',
  '电'.repeat(3_000),
  [],
  [null],
  {},
  { __proto__: { admin: true } },
  { constructor: { prototype: { admin: true } } },
  Array.from({ length: 2_000 }, (_, i) => i),
];

const deep = (levels: number): unknown => (levels === 0 ? 'bottom' : { a: deep(levels - 1) });
export const nasty = (): fc.Arbitrary<unknown> => fc.oneof(fc.constantFrom(...NASTY), fc.constant(deep(60)), fc.anything());

function stringArb(d: Def): fc.Arbitrary<string> {
  let min = 0;
  let max = 40;
  let pattern: RegExp | undefined;
  let format: string | undefined;
  for (const c of checksOf(d)) {
    if (c.check === 'min_length') min = c.minimum ?? min;
    else if (c.check === 'max_length') max = c.maximum ?? max;
    else if (c.check === 'length_equals') min = max = c.value ?? min;
    else if (c.check === 'string_format') {
      format = c.format;
      if (c.format === 'regex') pattern = c.pattern;
    }
  }
  if (format === 'datetime')
    return fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2099-12-31') }).map((x) => x.toISOString());
  if (format === 'date')
    return fc
      .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2099-12-31') })
      .map((x) => x.toISOString().slice(0, 10));
  if (format === 'email') return fc.emailAddress();
  if (format === 'uuid') return fc.uuid();
  if (format === 'url') return fc.webUrl();
  if (pattern)
    return fc.stringMatching(
      new RegExp(pattern.source.replace(/^\^?/, '^').replace(/\$?$/, '$'), pattern.flags.replace('g', '')),
    );
  max = Math.max(min, Math.min(max, min + 60));
  return fc.oneof(fc.string({ minLength: min, maxLength: max }), fc.string({ unit: 'grapheme', minLength: min, maxLength: max }));
}

function numberArb(d: Def): fc.Arbitrary<number> {
  let min = -1e6;
  let max = 1e6;
  let integer = false;
  for (const c of checksOf(d)) {
    if (c.check === 'number_format') integer = integer || /int/.test(c.format ?? '');
    else if (c.check === 'greater_than') min = (c.value ?? min) + (c.inclusive ? 0 : integer ? 1 : 1e-6);
    else if (c.check === 'less_than') max = (c.value ?? max) - (c.inclusive ? 0 : integer ? 1 : 1e-6);
    else if (c.check === 'multiple_of') integer = true;
  }
  if (min > max) [min, max] = [max, min];
  if (integer) return fc.integer({ min: Math.ceil(Math.max(min, -2147483648)), max: Math.floor(Math.min(max, 2147483647)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema is meant to accept. */
export function valid(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  if (depth > 8) return fc.constant(undefined);
  switch (d.type) {
    case 'string':
      return stringArb(d);
    case 'number':
    case 'int':
      return d.coerce ? numberArb(d).map((n) => fc.sample(fc.constantFrom(n, String(n)), 1)[0]) : numberArb(d);
    case 'bigint':
      return fc.bigInt({ min: -1000n, max: 1000n });
    case 'boolean':
      return d.coerce ? fc.constantFrom(true, false, 'true', 'false') : fc.boolean();
    case 'date':
      return fc.date({ noInvalidDate: true }).map((x) => x.toISOString());
    case 'literal':
      return fc.constantFrom(...(d.values ?? [null]));
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries ?? { x: 'x' }));
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'any':
    case 'unknown':
      return fc.jsonValue({ maxDepth: 2 });
    case 'optional':
      return fc.option(valid(d.innerType!, depth + 1), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(valid(d.innerType!, depth + 1), { nil: null, freq: 4 });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return valid(d.innerType!, depth + 1);
    case 'pipe':
      return valid(d.in!, depth + 1);
    case 'transform':
      return fc.jsonValue({ maxDepth: 1 });
    case 'lazy':
      return valid(d.getter!(), depth + 1);
    case 'array': {
      let min = 0;
      let max = 5;
      for (const c of checksOf(d)) {
        if (c.check === 'min_length') min = c.minimum ?? min;
        if (c.check === 'max_length') max = c.maximum ?? max;
      }
      return fc.array(valid(d.element!, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min(max, 6)) });
    }
    case 'tuple':
      return fc.tuple(...(d.items ?? []).map((i) => valid(i, depth + 1)));
    case 'union':
      return fc.oneof(...(d.options ?? []).map((o) => valid(o, depth + 1)));
    case 'intersection':
      return fc
        .tuple(valid(d.left!, depth + 1), valid(d.right!, depth + 1))
        .map(([a, b]) => (typeof a === 'object' && typeof b === 'object' ? { ...(a as object), ...(b as object) } : a));
    case 'record':
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), valid(d.valueType!, depth + 1), { maxKeys: 3 });
    case 'object': {
      const shape = d.shape ?? {};
      const entries = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, valid(v, depth + 1)]));
      return fc.record(entries).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/** A valid value with one spot made hostile (or the whole value replaced, or an extra field added). */
export function hostile(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid(schema), nasty(), fc.nat(), fc.constantFrom('replace-field', 'extra-field', 'whole', 'drop-field'))
    .map(([value, bad, n, how]) => {
      if (how === 'whole' || typeof value !== 'object' || value === null || Array.isArray(value)) return bad;
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      if (how === 'extra-field' || keys.length === 0) copy[`extra_${n % 7}`] = bad;
      else if (how === 'drop-field') delete copy[keys[n % keys.length]!];
      else copy[keys[n % keys.length]!] = bad;
      return copy;
    });
}

/** Half meant-to-be-valid, half hostile. */
export const fuzz = (schema: z.ZodType): fc.Arbitrary<unknown> => fc.oneof(valid(schema), hostile(schema));
