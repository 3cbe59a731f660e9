// SLURM (RFC 8416): local filters and assertions over the validated output. Strict: an unknown member,
// a missing required one, host bits, a bad maxPrefixLength or SKI is an error naming the JSON path.
import fs from 'node:fs';
import { PDU } from '../pdu-types.js';
import { parseBytePrefix } from '../prefix.js';
import { routerKeyKey, vrpKey } from '../records.js';

export class SlurmError extends Error {}

interface PrefixFilter {
  family?: 4 | 6;
  bytes?: number[];
  length?: number;
  asn?: number;
}
interface BgpsecFilter {
  asn?: number;
  /** 40 hex digits */
  ski?: string;
}

export interface Slurm {
  prefixFilters: PrefixFilter[];
  bgpsecFilters: BgpsecFilter[];
  /** canonical keys to add */
  assertions: string[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown, at: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SlurmError(`${at}: must be an object`);
  return v as Obj;
}

function members(o: Obj, at: string, required: string[], optional: string[]): void {
  for (const k of required) if (!(k in o)) throw new SlurmError(`${at}: missing member "${k}"`);
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) throw new SlurmError(`${at}: unknown member "${k}"`);
  if ('comment' in o && typeof o.comment !== 'string') throw new SlurmError(`${at}.comment: must be a string`);
}

function arr(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new SlurmError(`${at}: must be an array`);
  return v;
}

function asn(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new SlurmError(`${at}: ${JSON.stringify(v)} is not an AS number (0..4294967295)`);
  return v;
}

function prefix(v: unknown, at: string) {
  if (typeof v !== 'string') throw new SlurmError(`${at}: must be a string`);
  let p;
  try {
    p = parseBytePrefix(v);
  } catch (e) {
    throw new SlurmError(`${at}: ${(e as Error).message}`);
  }
  if (p.hadHostBits) throw new SlurmError(`${at}: "${v}" has host bits set`);
  return p;
}

function base64url(v: unknown, at: string): Buffer {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]+={0,2}$/.test(v)) throw new SlurmError(`${at}: must be base64url (RFC 4648 section 5)`);
  return Buffer.from(v, 'base64url');
}

function ski(v: unknown, at: string): string {
  const b = base64url(v, at);
  if (b.length !== 20) throw new SlurmError(`${at}: SKI must decode to 20 octets, got ${b.length}`);
  return b.toString('hex');
}

export function parseSlurm(text: string): Slurm {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new SlurmError(`SLURM is not JSON: ${(e as Error).message}`);
  }
  const top = obj(doc, '$');
  members(top, '$', ['slurmVersion', 'validationOutputFilters', 'locallyAddedAssertions'], []);
  if (top.slurmVersion !== 1) throw new SlurmError(`$.slurmVersion: must be 1, got ${JSON.stringify(top.slurmVersion)}`);
  const vof = obj(top.validationOutputFilters, '$.validationOutputFilters');
  members(vof, '$.validationOutputFilters', ['prefixFilters', 'bgpsecFilters'], []);
  const laa = obj(top.locallyAddedAssertions, '$.locallyAddedAssertions');
  members(laa, '$.locallyAddedAssertions', ['prefixAssertions', 'bgpsecAssertions'], []);
  const out: Slurm = { prefixFilters: [], bgpsecFilters: [], assertions: [] };

  arr(vof.prefixFilters, '$.validationOutputFilters.prefixFilters').forEach((v, i) => {
    const at = `$.validationOutputFilters.prefixFilters[${i}]`;
    const o = obj(v, at);
    members(o, at, [], ['prefix', 'asn', 'comment']);
    if (!('prefix' in o) && !('asn' in o)) throw new SlurmError(`${at}: needs "prefix", "asn" or both`);
    const f: PrefixFilter = {};
    if ('prefix' in o) {
      const p = prefix(o.prefix, `${at}.prefix`);
      Object.assign(f, { family: p.family, bytes: p.bytes, length: p.length });
    }
    if ('asn' in o) f.asn = asn(o.asn, `${at}.asn`);
    out.prefixFilters.push(f);
  });
  arr(vof.bgpsecFilters, '$.validationOutputFilters.bgpsecFilters').forEach((v, i) => {
    const at = `$.validationOutputFilters.bgpsecFilters[${i}]`;
    const o = obj(v, at);
    members(o, at, [], ['asn', 'SKI', 'comment']);
    if (!('asn' in o) && !('SKI' in o)) throw new SlurmError(`${at}: needs "asn", "SKI" or both`);
    const f: BgpsecFilter = {};
    if ('asn' in o) f.asn = asn(o.asn, `${at}.asn`);
    if ('SKI' in o) f.ski = ski(o.SKI, `${at}.SKI`);
    out.bgpsecFilters.push(f);
  });
  arr(laa.prefixAssertions, '$.locallyAddedAssertions.prefixAssertions').forEach((v, i) => {
    const at = `$.locallyAddedAssertions.prefixAssertions[${i}]`;
    const o = obj(v, at);
    members(o, at, ['asn', 'prefix'], ['maxPrefixLength', 'comment']);
    const a = asn(o.asn, `${at}.asn`);
    const p = prefix(o.prefix, `${at}.prefix`);
    const bits = p.family === 4 ? 32 : 128;
    let ml = p.length;
    if ('maxPrefixLength' in o) {
      const m = o.maxPrefixLength;
      if (typeof m !== 'number' || !Number.isInteger(m) || m < p.length || m > bits) {
        throw new SlurmError(`${at}.maxPrefixLength: ${JSON.stringify(m)} must be an integer in ${p.length}..${bits}`);
      }
      ml = m;
    }
    out.assertions.push(vrpKey(o.prefix as string, ml, a));
  });
  arr(laa.bgpsecAssertions, '$.locallyAddedAssertions.bgpsecAssertions').forEach((v, i) => {
    const at = `$.locallyAddedAssertions.bgpsecAssertions[${i}]`;
    const o = obj(v, at);
    members(o, at, ['asn', 'SKI', 'routerPublicKey'], ['comment']);
    const key = base64url(o.routerPublicKey, `${at}.routerPublicKey`);
    if (key.length < 2 || key[0] !== 0x30) throw new SlurmError(`${at}.routerPublicKey: not a DER SubjectPublicKeyInfo`);
    out.assertions.push(routerKeyKey({ asn: asn(o.asn, `${at}.asn`), ski: ski(o.SKI, `${at}.SKI`), spki: key.toString('base64') }));
  });
  return out;
}

export function loadSlurmFile(file: string): Slurm {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SlurmError(`cannot read SLURM file ${file}: ${(e as Error).message}`);
  }
  try {
    return parseSlurm(text);
  } catch (e) {
    throw new SlurmError(`${file}: ${(e as Error).message}`);
  }
}

function prefixCovered(f: PrefixFilter, key: string, type: number): boolean {
  if (f.bytes === undefined) return true;
  if ((f.family === 4) !== (type === PDU.ipv4Prefix)) return false;
  const n = f.family === 4 ? 4 : 16;
  const len = key.charCodeAt(1 + n);
  if (len < f.length!) return false;
  for (let i = 0; i < n && i * 8 < f.length!; i++) {
    const keep = Math.min(8, f.length! - i * 8);
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((key.charCodeAt(1 + i) & mask) !== f.bytes[i]) return false;
  }
  return true;
}

function keyAsn(key: string, at: number): number {
  return ((key.charCodeAt(at) << 24) | (key.charCodeAt(at + 1) << 16) | (key.charCodeAt(at + 2) << 8) | key.charCodeAt(at + 3)) >>> 0;
}

/** RFC 8416 section 4: drop what the filters match, then add the assertions. */
export function applySlurm(keys: readonly string[], slurm: Slurm): string[] {
  const out: string[] = [];
  const { prefixFilters, bgpsecFilters } = slurm;
  for (const k of keys) {
    const t = k.charCodeAt(0);
    let drop = false;
    if (t === PDU.ipv4Prefix || t === PDU.ipv6Prefix) {
      const asnAt = t === PDU.ipv4Prefix ? 7 : 19;
      for (const f of prefixFilters) {
        if ((f.asn === undefined || f.asn === keyAsn(k, asnAt)) && prefixCovered(f, k, t)) { drop = true; break; }
      }
    } else if (t === PDU.routerKey) {
      for (const f of bgpsecFilters) {
        if ((f.asn === undefined || f.asn === keyAsn(k, 1)) && (f.ski === undefined || f.ski === Buffer.from(k.slice(5, 25), 'latin1').toString('hex'))) { drop = true; break; }
      }
    }
    if (!drop) out.push(k);
  }
  for (const a of slurm.assertions) out.push(a);
  return out;
}
