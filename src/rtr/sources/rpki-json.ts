// Parser for the VRP JSON that rpki-client writes with -j (and StayRTR reads): "roas", "bgpsec_keys" and
// ASPAs ("aspas", or rpki-client 8's "provider_authorizations"). Entries that StayRTR would drop are
// dropped here too, and counted by reason. Files are read in chunks (see json-split.ts).
import fs from 'node:fs';
import { aspaKey, parseAsnValue, prefixKey, RecordError, routerKeyKey } from '../records.js';
import { parseBytePrefix, parseFast, PrefixError, scratch } from '../prefix.js';
import { JsonSplitError, RoasSplitter } from './json-split.js';

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

export function parseRpkiJson(input: string | Buffer, now = Date.now() / 1000): ParsedRecords {
  const p = new RpkiJsonParser(now);
  p.feed(typeof input === 'string' ? Buffer.from(input, 'utf8') : input);
  return p.end();
}

/** Reads and parses a file in 1 MiB chunks: memory stays small whatever the file size. */
export async function parseRpkiJsonFile(file: string, now = Date.now() / 1000): Promise<ParsedRecords> {
  const p = new RpkiJsonParser(now);
  const fh = await fs.promises.open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      p.feed(chunk.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return p.end();
}

type Entry = Record<string, unknown>;

export class RpkiJsonParser {
  private readonly out: ParsedRecords = { keys: [], roas: 0, routerKeys: 0, aspas: 0, dropped: {}, samples: [] };
  private readonly splitter: RoasSplitter;

  constructor(private readonly now = Date.now() / 1000) {
    this.splitter = new RoasSplitter((text) => {
      let roas: unknown[];
      try {
        roas = JSON.parse(text) as unknown[];
      } catch (e) {
        throw new SourceFormatError(`bad JSON in "roas": ${(e as Error).message}`);
      }
      for (const r of roas) this.addRoa(r);
    });
  }

  feed(b: Buffer): void {
    try {
      this.splitter.feed(b);
    } catch (e) {
      if (e instanceof JsonSplitError) throw new SourceFormatError(`not JSON: ${e.message}`);
      throw e;
    }
  }

  private drop(reason: string, detail: string): void {
    this.out.dropped[reason] = (this.out.dropped[reason] ?? 0) + 1;
    if (this.out.samples.length < 10) this.out.samples.push(`${reason}: ${detail}`);
  }

  private expired(e: Entry): boolean {
    return typeof e.expires === 'number' && e.expires < this.now;
  }

  private addRoa(r: unknown): void {
    if (typeof r !== 'object' || r === null) return this.drop('not an object', JSON.stringify(r));
    const e = r as Entry;
    if (this.expired(e)) return this.drop('expired', String(e.prefix));
    let asn: number;
    try {
      asn = parseAsnValue(e.asn);
    } catch (err) {
      return this.drop('bad asn', (err as Error).message);
    }
    const ml = e.maxLength;
    if (typeof ml !== 'number' || !Number.isInteger(ml)) return this.drop('bad maxLength', `${String(e.prefix)} maxLength ${String(ml)}`);
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
        return this.drop('bad prefix', (err as PrefixError).message);
      }
    }
    if (ml < length || ml > (family === 4 ? 32 : 128)) return this.drop('bad maxLength', `${String(e.prefix)} maxLength ${ml}`);
    this.out.keys.push(prefixKey(family, bytes, length, ml, asn));
    this.out.roas++;
  }

  end(): ParsedRecords {
    const out = this.out;
    let doc: unknown;
    try {
      doc = JSON.parse(this.splitter.end());
    } catch (e) {
      throw new SourceFormatError(`not JSON: ${(e as Error).message}`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new SourceFormatError('top level must be an object');
    const d = doc as Entry;
    if (!Array.isArray(d.roas)) throw new SourceFormatError('"roas" must be an array');
    const meta = d.metadata as Entry | undefined;
    if (meta && typeof meta.buildtime === 'string') out.buildtime = meta.buildtime;
    const drop = (reason: string, detail: string) => this.drop(reason, detail);
    const expired = (e: Entry) => this.expired(e);

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
}
