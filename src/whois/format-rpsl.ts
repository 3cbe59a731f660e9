/**
 * RPSL rendering (RIPE/APNIC layout): attribute names padded to 16 columns, one line per value, objects
 * separated by a blank line, `%` comment lines around them.
 */
import type { WhoisObject } from './objects.js';

export const ATTRIBUTE_WIDTH = 16;

/** "inetnum:" padded to the value column, per attribute name. */
const heads = new Map<string, string>();
const head = (name: string) => {
  let h = heads.get(name);
  if (h === undefined) {
    h = `${name}:`.padEnd(ATTRIBUTE_WIDTH);
    if (heads.size < 1000) heads.set(name, h);
  }
  return h;
};

export function formatRpslObject(object: WhoisObject): string {
  if (object.source.kind === 'irr' && object.attributes.length === 0) return object.source.text.replace(/\n*$/, '\n');
  let out = '';
  for (const a of object.attributes) {
    if (!a.value.includes('\n')) {
      out += head(a.name) + a.value + '\n';
      continue;
    }
    const [first, ...rest] = a.value.split('\n');
    out += `${head(a.name)}${first}\n`;
    for (const line of rest) out += /^[ \t+]/.test(line) ? `${line}\n` : `${' '.repeat(ATTRIBUTE_WIDTH)}${line}\n`;
  }
  return out;
}

/** -K: only the primary key attribute (and, for route objects, the origin which is part of the key). */
export function primaryKeyOnly(object: WhoisObject): WhoisObject {
  const keep = object.attributes.filter((a, i) => i === 0 || (object.className.startsWith('route') && a.name === 'origin'));
  return { ...object, attributes: keep };
}
