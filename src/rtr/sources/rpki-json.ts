// Parser for the VRP JSON that rpki-client writes with -j (and StayRTR reads): "roas", "bgpsec_keys" and
// ASPAs ("aspas", or rpki-client 8's "provider_authorizations"). Entries that StayRTR would drop are
// dropped here too, and counted by reason.
import { aspaKey, parseAsnValue, prefixKey, RecordError, routerKeyKey } from '../records.js';
import { parseBytePrefix, parseFast, PrefixError, scratch } from '../prefix.js';

export interface ParsedRecords {
  keys: string[];
  roas: number;
  routerKeys: number;
  aspas: number;
  dropped: Record<string, number>;
  /** a few sample reasons for dropped entries, for logs */
  samples: string[];
  buildtime?: string;
}

export class SourceFormatError extends Error {}


/**
 * Splits the document into the "roas" array and the rest, so that 600k ROAs are parsed in small
 * JSON.parse batches whose garbage dies young, instead of one huge object tree (this halves the peak
 * memory of a load). Returns the rest (with "roas": []) and the byte spans of ROA batches.
 */
function splitRoas(buf: Buffer): { rest: string; batches: [number, number][] } {
  const n = buf.length;
  let i = 0;
  const ws = () => {
    while (i < n && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  };
  const skipString = () => {
    // at the opening quote
    i++;
    for (;;) {
      const q = buf.indexOf(0x22, i);
      if (q < 0) throw new SourceFormatError('unterminated string');
      let bs = 0;
      for (let k = q - 1; k >= i && buf[k] === 0x5c; k--) bs++;
      i = q + 1;
      if (bs % 2 === 0) return;
    }
  };
  /** skips one value; returns nothing, leaves i after it */
  const skipValue = () => {
    let depth = 0;
    for (;;) {
      if (i >= n) throw new SourceFormatError('unexpected end of JSON');
      const c = buf[i]!;
      if (c === 0x22) { skipString(); if (depth === 0) return; continue; }
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (depth === 0) return;
        depth--;
        if (depth === 0) { i++; return; }
      } else if (depth === 0 && c === 0x2c) return;
      i++;
    }
  };
  ws();
  if (buf[i] !== 0x7b) throw new SourceFormatError('top level must be an object');
  i++;
  let roasStart = -1;
  let roasEnd = -1;
  const batches: [number, number][] = [];
  for (;;) {
    ws();
    if (buf[i] === 0x7d) break;
    if (buf[i] !== 0x22) throw new SourceFormatError(`expected a member name at byte ${i}`);
    const keyStart = i;
    skipString();
    const key = buf.toString('utf8', keyStart + 1, i - 1);
    ws();
    if (buf[i] !== 0x3a) throw new SourceFormatError(`expected ":" at byte ${i}`);
    i++;
    ws();
    if (key === 'roas' && buf[i] === 0x5b) {
      roasStart = i;
      i++;
      let batchStart = i;
      let count = 0;
      ws();
      if (buf[i] === 0x5d) i++;
      else {
        for (;;) {
          ws();
          skipValue();
          ws();
          count++;
          if (buf[i] === 0x5d) { batches.push([batchStart, i]); i++; break; }
          if (buf[i] !== 0x2c) throw new SourceFormatError(`expected "," in "roas" at byte ${i}`);
          if (count % 8192 === 0) { batches.push([batchStart, i]); batchStart = i + 1; }
          i++;
        }
      }
      roasEnd = i;
    } else skipValue();
    ws();
    if (buf[i] === 0x2c) { i++; continue; }
    if (buf[i] === 0x7d) break;
    throw new SourceFormatError(`expected "," or "}" at byte ${i}`);
  }
  const rest = roasStart < 0 ? buf.toString('utf8') : buf.toString('utf8', 0, roasStart) + '[]' + buf.toString('utf8', roasEnd);
  return { rest, batches };
}

export function parseRpkiJson(input: string | Buffer, now = Date.now() / 1000): ParsedRecords {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let doc: unknown;
  let batches: [number, number][];
  try {
    const split = splitRoas(buf);
    batches = split.batches;
    doc = JSON.parse(split.rest);
  } catch (e) {
    throw new SourceFormatError(`not JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new SourceFormatError('top level must be an object');
  const d = doc as Record<string, unknown>;
  if (!Array.isArray(d.roas)) throw new SourceFormatError('"roas" must be an array');
  const out: ParsedRecords = { keys: [], roas: 0, routerKeys: 0, aspas: 0, dropped: {}, samples: [] };
  const meta = d.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta.buildtime === 'string') out.buildtime = meta.buildtime;
  const drop = (reason: string, detail: string) => {
    out.dropped[reason] = (out.dropped[reason] ?? 0) + 1;
    if (out.samples.length < 10) out.samples.push(`${reason}: ${detail}`);
  };
  const expired = (e: Record<string, unknown>) => typeof e.expires === 'number' && e.expires < now;

  for (const [from, to] of batches) {
    let roas: unknown[];
    try {
      roas = JSON.parse(`[${buf.toString('utf8', from, to)}]`) as unknown[];
    } catch (e) {
      throw new SourceFormatError(`bad JSON in "roas": ${(e as Error).message}`);
    }
    for (const r of roas) addRoa(r);
  }

  function addRoa(r: unknown): void {
    if (typeof r !== 'object' || r === null) { drop('not an object', JSON.stringify(r)); return; }
    const e = r as Record<string, unknown>;
    if (expired(e)) { drop('expired', String(e.prefix)); return; }
    let asn: number;
    try {
      asn = parseAsnValue(e.asn);
    } catch (err) {
      drop('bad asn', (err as Error).message);
      return;
    }
    const ml = e.maxLength;
    if (typeof ml !== 'number' || !Number.isInteger(ml)) { drop('bad maxLength', `${String(e.prefix)} maxLength ${String(ml)}`); return; }
    const fl = typeof e.prefix === 'string' ? parseFast(e.prefix) : -1;
    let family: 4 | 6;
    let length: number;
    let bytes: ArrayLike<number> = scratch;
    if (fl >= 0) {
      family = (fl >> 8) as 4 | 6;
      length = fl & 0xff;
    } else {
      // rare forms (e.g. "::ffff:192.0.2.0/120") and errors go through the careful parser
      try {
        const p = parseBytePrefix(e.prefix as string);
        family = p.family;
        length = p.length;
        bytes = p.bytes;
      } catch (err) {
        drop('bad prefix', (err as PrefixError).message);
        return;
      }
    }
    if (ml < length || ml > (family === 4 ? 32 : 128)) { drop('bad maxLength', `${String(e.prefix)} maxLength ${ml}`); return; }
    out.keys.push(prefixKey(family, bytes, length, ml, asn));
    out.roas++;
  }

  const keys = Array.isArray(d.bgpsec_keys) ? d.bgpsec_keys : Array.isArray(d.router_keys) ? d.router_keys : [];
  for (const r of keys as unknown[]) {
    const e = (r ?? {}) as Record<string, unknown>;
    if (expired(e)) { drop('expired', `router key AS${String(e.asn)}`); continue; }
    try {
      const ski = String(e.ski ?? '').replace(/:/g, '');
      const spki = String(e.pubkey ?? e.spki ?? '');
      out.keys.push(routerKeyKey({ asn: parseAsnValue(e.asn), ski, spki }));
      out.routerKeys++;
    } catch (err) {
      drop('bad router key', (err as Error).message);
    }
  }

  const aspaLists: unknown[] = [];
  if (Array.isArray(d.aspas)) aspaLists.push(...d.aspas);
  const pa = d.provider_authorizations;
  if (Array.isArray(pa)) aspaLists.push(...pa);
  else if (pa && typeof pa === 'object') for (const v of Object.values(pa)) if (Array.isArray(v)) aspaLists.push(...v);
  const byCustomer = new Map<number, Set<number>>();
  for (const r of aspaLists) {
    const e = (r ?? {}) as Record<string, unknown>;
    if (expired(e)) { drop('expired', `ASPA ${String(e.customer_asid)}`); continue; }
    try {
      const customer = parseAsnValue(e.customer_asid ?? e.customer);
      if (!Array.isArray(e.providers)) throw new RecordError('providers must be an array');
      const set = byCustomer.get(customer) ?? new Set<number>();
      for (const p of e.providers) set.add(parseAsnValue(typeof p === 'object' && p !== null ? (p as { asid?: unknown }).asid : p));
      byCustomer.set(customer, set);
    } catch (err) {
      drop('bad ASPA', (err as Error).message);
    }
  }
  for (const [customer, providers] of byCustomer) {
    try {
      out.keys.push(aspaKey({ customer, providers: [...providers] }));
      out.aspas++;
    } catch (err) {
      drop('bad ASPA', (err as Error).message);
    }
  }
  return out;
}
