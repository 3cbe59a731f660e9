/**
 * Validates parsed RPSL against the class table (classes.ts) and builds the normalised object: cleaned values
 * per attribute, primary key, and the derived fields the store indexes (prefix, origin, members, mnt-by).
 */
import { CLASS_BY_NAME, type ClassSpec } from './classes.js';
import { GENERATED_ATTRIBUTES, cleanValue, parseRpslLines, parseRpslText, type RawAttribute, type RpslError } from './parser.js';
import { LIST_SYNTAXES, SyntaxProblem, checkSyntax } from './syntax.js';
import { parsePrefixText, type IrrPrefix } from './net.js';

export interface RpslObject {
  className: string;
  source: string;
  /** Primary key, upper-cased as IRRd does; route/route6: prefix + origin, e.g. "192.0.2.0/24AS65537". */
  pkey: string;
  attributes: RawAttribute[];
  /** cleaned, normalised values per attribute name (list attributes split into items) */
  values: Map<string, string[]>;
  prefix?: IrrPrefix;
  origin?: bigint;
  /** members + mp-members, upper-cased (sets) */
  members: string[];
  mntBy: string[];
  memberOf: string[];
}

export interface ValidationResult {
  object?: RpslObject;
  errors: RpslError[];
  className?: string;
  pkey?: string;
}

export interface ValidateOptions {
  /** false: only check keys (mirror imports of other IRRs' data, as IRRd's non-strict mode) */
  strict?: boolean;
}

export function parseObject(text: string, options: ValidateOptions = {}): ValidationResult {
  const parsed = parseRpslText(text);
  if (parsed.errors.length) return { errors: parsed.errors };
  return validateAttributes(parsed.attributes, options);
}

/** parseObject on an object already split into lines, none of them empty. */
export function parseObjectLines(lines: readonly string[], options: ValidateOptions = {}): ValidationResult {
  const parsed = parseRpslLines(lines);
  if (parsed.errors.length) return { errors: parsed.errors };
  return validateAttributes(parsed.attributes, options);
}

export function validateAttributes(all: RawAttribute[], options: ValidateOptions = {}): ValidationResult {
  const strict = options.strict !== false;
  const errors: RpslError[] = [];
  if (all.length === 0) return { errors: [{ message: 'empty object' }] };
  const attributes = all.filter((x) => !GENERATED_ATTRIBUTES.has(x.name));
  const first = attributes[0];
  const spec = CLASS_BY_NAME.get(first.name);
  if (!spec) {
    return { errors: [{ line: first.line, attribute: first.name, message: `unknown object class: ${first.name}` }] };
  }
  const counts = new Map<string, number>();
  for (const attr of attributes) counts.set(attr.name, (counts.get(attr.name) ?? 0) + 1);
  if (strict) {
    for (const attr of attributes) {
      if (!spec.byName.has(attr.name)) {
        errors.push({ line: attr.line, attribute: attr.name, message: `Line ${attr.line}: unrecognised attribute ${attr.name} on object ${spec.name}` });
      }
    }
    for (const [name, count] of counts) {
      const a = spec.byName.get(name);
      if (a && count > 1 && !a.multiple) {
        const second = attributes.filter((x) => x.name === name)[1];
        errors.push({ line: second.line, attribute: name, message: `Line ${second.line}: attribute ${name} on object ${spec.name} occurs multiple times, but is only allowed once` });
      }
    }
    for (const a of spec.attributes) {
      if (a.mandatory && !counts.has(a.name)) {
        errors.push({ attribute: a.name, message: `mandatory attribute ${a.name} on object ${spec.name} is missing` });
      }
    }
  } else {
    for (const name of [...spec.primaryKey, 'source']) {
      if (!counts.has(name)) errors.push({ attribute: name, message: `mandatory attribute ${name} on object ${spec.name} is missing` });
    }
  }
  const values = new Map<string, string[]>();
  for (const attr of attributes) {
    const a = spec.byName.get(attr.name);
    if (!a) continue;
    if (!strict && !a.primaryKey && !a.lookupKey && attr.name !== 'source') continue;
    const cleaned = cleanValue(attr.raw);
    const items = LIST_SYNTAXES.has(a.syntax) ? cleaned.split(/[\s,]+/).filter(Boolean) : cleaned ? [cleaned] : [];
    if (items.length === 0 && (a.mandatory || a.primaryKey)) {
      errors.push({ line: attr.line, attribute: attr.name, message: `Line ${attr.line}: attribute ${attr.name} has an empty value` });
      continue;
    }
    const list = values.get(attr.name) ?? [];
    for (const item of items) {
      try {
        list.push(checkSyntax(a.syntax, item));
      } catch (e) {
        if (!(e instanceof SyntaxProblem)) throw e;
        errors.push({ line: attr.line, attribute: attr.name, message: `Line ${attr.line}: ${attr.name}: ${e.message}` });
      }
    }
    values.set(attr.name, list);
  }
  const className = spec.name;
  if (errors.length) return { errors, className, pkey: roughKey(spec, attributes) };
  return buildObject(spec, attributes, values);
}

function roughKey(spec: ClassSpec, attributes: RawAttribute[]): string {
  return spec.primaryKey.map((k) => cleanValue(attributes.find((x) => x.name === k)?.raw ?? '')).join('').toUpperCase();
}

function buildObject(spec: ClassSpec, attributes: RawAttribute[], values: Map<string, string[]>): ValidationResult {
  const get = (n: string) => values.get(n) ?? [];
  const pkey = spec.primaryKey.map((k) => get(k)[0] ?? '').join('').toUpperCase();
  const object: RpslObject = {
    className: spec.name,
    source: get('source')[0] ?? '',
    pkey,
    attributes,
    values,
    members: [...get('members'), ...get('mp-members')].map((m) => (m.includes('/') ? m.toLowerCase() : m.toUpperCase())),
    mntBy: get('mnt-by'),
    memberOf: get('member-of').map((m) => m.toUpperCase()),
  };
  if (spec.name === 'route' || spec.name === 'route6') {
    object.prefix = parsePrefixText(get(spec.name)[0]);
    object.origin = BigInt(get('origin')[0].slice(2));
  }
  return { object, errors: [], className: spec.name, pkey };
}

/** Human-readable one-line summary of errors (for reports). */
export function describeErrors(errors: RpslError[]): string {
  return errors.map((e) => e.message).join('; ');
}
