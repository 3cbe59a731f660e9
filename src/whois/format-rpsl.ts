/**
 * RPSL rendering (RIPE/APNIC layout): attribute names padded to 16 columns, one line per value, objects
 * separated by a blank line, `%` comment lines around them.
 */
import type { WhoisObject } from './objects.js';

export const ATTRIBUTE_WIDTH = 16;

export function formatRpslObject(object: WhoisObject): string {
  if (object.source.kind === 'irr' && object.attributes.length === 0) return object.source.text.replace(/\n*$/, '\n');
  let out = '';
  for (const a of object.attributes) {
    const [first, ...rest] = a.value.split('\n');
    out += `${`${a.name}:`.padEnd(ATTRIBUTE_WIDTH)}${first}\n`;
    for (const line of rest) out += /^[ \t+]/.test(line) ? `${line}\n` : `${' '.repeat(ATTRIBUTE_WIDTH)}${line}\n`;
  }
  return out;
}

/** -K: only the primary key attribute (and, for route objects, the origin which is part of the key). */
export function primaryKeyOnly(object: WhoisObject): WhoisObject {
  const keep = object.attributes.filter((a, i) => i === 0 || (object.className.startsWith('route') && a.name === 'origin'));
  return { ...object, attributes: keep };
}
