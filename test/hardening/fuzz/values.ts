// Values for the schema-aware fuzzer (test/hardening/fuzz.test.ts): a seeded random source, values a
// JSON Schema accepts ("valid-ish": what a careful client would send), and mutations of them (what a
// careless or hostile one sends). Deterministic for a given seed, so a failure can be replayed.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = Record<string, unknown>;

/** mulberry32: small, fast, good enough to pick test inputs; the same seed gives the same run. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
  word(min = 1, max = 12): string {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    return Array.from({ length: this.int(min, max) }, () => this.pick([...letters])).join('');
  }
}

/** Strings that have broken parsers, databases and renderers before. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '\u2028\u2029',
  '\ufeff',
  '😀👩‍👩‍👧',
  'ﷺ',
  'e\u0301\u0301\u0301',
  '\u00ff\u0100',
  '\u007f',
  '%zz',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '"; drop table users; --',
  "' or 1=1 --",
  '{{7*7}}',
  '${7*7}',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  '-1',
  '1e309',
  'http://127.0.0.1:1/',
  '//evil.example',
  'javascript:alert(1)',
  '\r\nSet-Cookie: x=1',
  '\t\n',
];

const EDGE_NUMBERS: readonly number[] = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 - 1,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e308,
  -1e308,
  5e-324,
  1e21,
];

/** Resolves `$ref`s of the OpenAPI document (`#/components/schemas/X`) or plain schema ids. */
export type Resolve = (schema: Schema) => Schema;

/** What generation needs: randomness, `$ref` resolution, and real values known by field name (ids, handles). */
export interface Context {
  random: Random;
  resolve: Resolve;
  named: ReadonlyMap<string, readonly string[]>;
}

export function resolver(components: Record<string, Schema>): Resolve {
  const byId = new Map<string, Schema>();
  for (const [name, schema] of Object.entries(components)) {
    byId.set(name, schema);
    if (typeof schema.$id === 'string') byId.set(schema.$id, schema);
    if (typeof schema.title === 'string') byId.set(schema.title, schema);
  }
  return (schema) => {
    let current = schema;
    for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
      const ref = current.$ref as string;
      const name = ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : ref;
      const found = byId.get(decodeURIComponent(name));
      if (!found) return {};
      current = found;
    }
    return current;
  };
}

function typesOf(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

function stringFor(schema: Schema, random: Random): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(min, 24);
  switch (schema.format) {
    case 'uuid':
      return random.uuid();
    case 'email':
      return `${random.word(3, 10)}@example.org`;
    case 'date':
      return `20${random.int(20, 30)}-0${random.int(1, 9)}-1${random.int(0, 9)}`;
    case 'date-time':
      return new Date(Date.UTC(2026, random.int(0, 11), random.int(1, 28), random.int(0, 23))).toISOString();
    case 'uri':
    case 'url':
      return `https://${random.word(3, 8)}.example.org/${random.word(0, 6)}`;
  }
  if (typeof schema.pattern === 'string') {
    // No regex inversion here: try likely shapes (slugs, words the pattern names, times, dates, hex)
    // and keep the first the pattern accepts.
    let pattern: RegExp | null = null;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      pattern = null;
    }
    const named = schema.pattern.match(/[a-z][a-zA-Z]{2,}/g) ?? [];
    const hex = (n: number) => Array.from({ length: n }, () => random.int(0, 15).toString(16)).join('');
    const candidates = [
      ...(named.length ? [random.pick(named), named.slice(0, 2).join(',')] : []),
      random.word(3, 10),
      `${random.word(2, 6)}-${random.word(2, 6)}`,
      `${String(random.int(0, 23)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`,
      `2026-0${random.int(1, 9)}-1${random.int(0, 9)}`,
      hex(32),
      hex(64),
      String(random.int(0, 999)),
      random.uuid(),
      `${random.word(3, 8)} ${random.word(3, 8)}`,
    ];
    const fits = candidates.find((c) => pattern?.test(c) && c.length >= min && c.length <= max);
    if (fits) return fits;
  }
  const length = Math.min(max, Math.max(min, random.int(min, Math.min(max, min + 16))));
  return random.chance(0.8) ? random.word(length, length) : 'x'.repeat(length);
}

function numberFor(schema: Schema, random: Random, integer: boolean): number {
  const low =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + 1
        : 0;
  const high =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - 1
        : low + 100;
  if (random.chance(0.2)) return random.pick([low, high]);
  const value = low + random.next() * (high - low);
  return integer ? Math.round(value) : value;
}

/** A value the schema accepts, as far as this simple generator understands it. */
export function validValue(schema: Schema, ctx: Context, depth = 0, name?: string): Json {
  const { random, resolve } = ctx;
  const known = name !== undefined ? ctx.named.get(name) : undefined;
  if (known?.length && random.chance(0.8)) return random.pick(known);
  const s = resolve(schema);
  if ('const' in s) return s.const as Json;
  if (Array.isArray(s.enum) && s.enum.length) return random.pick(s.enum as Json[]);
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key]) && (s[key] as Schema[]).length)
      return validValue(random.pick(s[key] as Schema[]), ctx, depth + 1, name);
  }
  if (Array.isArray(s.allOf) && s.allOf.length)
    return validValue((s.allOf as Schema[])[0]!, ctx, depth + 1, name);
  const types = typesOf(s);
  const type = types.length ? random.pick(types) : random.pick(['string', 'integer', 'boolean']);
  switch (type) {
    case 'string':
      return stringFor(s, random);
    case 'integer':
      return numberFor(s, random, true);
    case 'number':
      return numberFor(s, random, false);
    case 'boolean':
      return random.chance(0.5);
    case 'null':
      return null;
    case 'array': {
      if (depth > 6) return [];
      const min = typeof s.minItems === 'number' ? s.minItems : 0;
      const max = Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, min + 4);
      const items = (s.items as Schema | undefined) ?? {};
      const values = Array.from({ length: random.int(min, max) }, () =>
        validValue(items, ctx, depth + 1, name),
      );
      return s.uniqueItems ? [...new Map(values.map((v) => [JSON.stringify(v), v])).values()] : values;
    }
    case 'object': {
      const out: Record<string, Json> = {};
      if (depth > 6) return out;
      const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
      const required = new Set((s.required as string[] | undefined) ?? []);
      for (const [key, property] of Object.entries(properties)) {
        if (required.has(key) || random.chance(0.5)) out[key] = validValue(property, ctx, depth + 1, key);
      }
      return out;
    }
    default:
      return random.word();
  }
}

function deepNest(depth: number, random: Random): Json {
  let value: Json = random.word();
  for (let i = 0; i < depth; i++) value = random.chance(0.5) ? [value] : { a: value };
  return value;
}

/** Any value of the wrong kind or at an edge, without regard to the schema. */
export function oddValue(random: Random): Json {
  switch (random.int(0, 9)) {
    case 0:
      return random.pick(ODD_STRINGS);
    case 1:
      return random.pick(EDGE_NUMBERS);
    case 2:
      return random.pick([null, true, false, [], {}]);
    case 3:
      return 'x'.repeat(random.pick([1_000, 70_000, 250_000]));
    case 4:
      return deepNest(random.pick([20, 200]), random);
    case 5:
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}') as Json;
    case 6:
      return `${random.word()}${random.pick(ODD_STRINGS)}${random.word()}`;
    case 7:
      return Array.from({ length: random.int(0, 30) }, () => random.pick(ODD_STRINGS));
    case 8:
      return String(random.pick(EDGE_NUMBERS));
    default:
      return random.uuid();
  }
}

/** A value near what the schema wants, broken in one place (or several, now and then). */
export function mutatedValue(schema: Schema, ctx: Context, depth = 0, name?: string): Json {
  const { random, resolve } = ctx;
  const s = resolve(schema);
  const base = validValue(s, ctx, depth, name);
  if (random.chance(0.3) || depth > 5) return oddValue(random);
  if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
    const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
    const names = Object.keys(properties);
    // A null-prototype object, so `__proto__` is an own key that JSON.stringify writes out.
    const out = Object.assign(Object.create(null) as Record<string, Json>, base);
    const edits = random.int(1, 3);
    for (let i = 0; i < edits; i++) {
      const action = random.int(0, 3);
      const key = names.length ? random.pick(names) : null;
      if (action === 0 && key !== null) out[key] = mutatedValue(properties[key]!, ctx, depth + 1, key);
      else if (action === 1 && key !== null) delete out[key];
      else if (action === 2 || key === null)
        out[random.pick([random.word(), '__proto__', 'constructor', 'prototype', ''])] = oddValue(random);
      else out[key] = oddValue(random);
    }
    return out;
  }
  if (Array.isArray(base)) {
    const items = (s.items as Schema | undefined) ?? {};
    if (random.chance(0.3))
      return Array.from({ length: random.pick([50, 1000, 5000]) }, () =>
        validValue(items, ctx, depth + 1, name),
      );
    return [...base, mutatedValue(items, ctx, depth + 1, name)];
  }
  if (typeof base === 'string') {
    switch (random.int(0, 3)) {
      case 0:
        return base + random.pick(ODD_STRINGS);
      case 1:
        return random.pick(ODD_STRINGS) + base;
      case 2:
        return base.repeat(random.pick([100, 5000]));
      default:
        return oddValue(random);
    }
  }
  if (typeof base === 'number') return random.chance(0.7) ? random.pick(EDGE_NUMBERS) : String(base);
  return oddValue(random);
}

/** A path or query parameter as text: what a URL would carry (already-encoded when `raw`). */
export function textOf(value: Json): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

/**
 * encodeURIComponent that also takes lone surrogates (which it refuses): they are written as the
 * three bytes a careless encoder would produce (WTF-8), which the server must refuse politely.
 */
export function encodeLoose(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    const next = text.charCodeAt(i + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (high || low) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 63), 0x80 | (unit & 63)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(text[i]!);
  }
  return out;
}
