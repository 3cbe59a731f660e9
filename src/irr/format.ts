/**
 * RPSL formatter: attribute names padded to 16 columns (the width IRRd and the RIPE database use), the
 * primary key replaced by its normalised form, continuation lines kept with their original characters.
 */
import { CLASS_BY_NAME } from './classes.js';
import type { RpslObject } from './validate.js';

export const ATTRIBUTE_WIDTH = 16;

const heads = new Map<string, string>();
/** "name:" padded to the value column (cached: a dump repeats a few dozen names millions of times). */
function attributeHead(name: string): string {
  let head = heads.get(name);
  if (head === undefined) {
    head = `${name}:`.padEnd(ATTRIBUTE_WIDTH);
    if (heads.size < 1000) heads.set(name, head);
  }
  return head;
}

export function formatObject(object: RpslObject): string {
  const spec = CLASS_BY_NAME.get(object.className)!;
  const out: string[] = [];
  for (const attr of object.attributes) {
    const a = spec.byName.get(attr.name);
    const head = attributeHead(attr.name);
    const lines = attr.raw.includes('\n') ? attr.raw.split('\n') : [attr.raw];
    const first = lines[0].trim();
    if (a?.primaryKey && (a.syntax === 'ipv4-prefix' || a.syntax === 'ipv6-prefix' || a.syntax === 'asn' || a.syntax === 'ipv4-range' || a.syntax === 'as-range')) {
      // normalise keys written in legacy forms (192.0.02.0/24, as065537) but keep any comment
      // (a key written over several lines is folded onto one)
      const hash = lines.length === 1 ? first.indexOf('#') : -1;
      const comment = hash >= 0 ? '  ' + first.slice(hash) : '';
      out.push(head + (object.values.get(attr.name)?.[0] ?? first) + comment);
      continue;
    }
    out.push(first ? head + first : `${attr.name}:`);
    for (let i = 1; i < lines.length; i++) {
      const text = lines[i].trim();
      out.push(text ? attr.continuation[i - 1] + ' '.repeat(ATTRIBUTE_WIDTH - 1) + text : attr.continuation[i - 1]);
    }
  }
  return out.join('\n') + '\n';
}

/** Object text with the source attribute replaced (imports with --source). */
export function withSource(object: RpslObject, source: string): RpslObject {
  const attributes = object.attributes.map((x) => (x.name === 'source' ? { ...x, raw: ` ${source}`, continuation: [] } : x));
  const values = new Map(object.values);
  values.set('source', [source]);
  return { ...object, attributes, values, source };
}
