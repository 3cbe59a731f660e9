// RTR PDU codec. Encoding writes straight into Buffers (records come as canonical keys, see records.ts);
// decoding is strict: every malformed PDU yields an RtrDecodeError naming the Error Report code to send
// and the offending field.
import {
  ERR,
  ERROR_BY_CODE,
  HEADER_LENGTH,
  MAX_ROUTER_PDU_LENGTH,
  PDU,
  PDU_BY_TYPE,
  TIMERS,
  pduName,
  type RtrVersion,
} from './pdu-types.js';
import { formatBytePrefix } from './prefix.js';

export class RtrDecodeError extends Error {
  constructor(
    /** Error Report code to send */
    readonly code: number,
    /** offending field, e.g. "length", "version", "maxLength" */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Timers {
  refresh: number;
  retry: number;
  expire: number;
}

export type Pdu =
  | { type: 0; version: RtrVersion; sessionId: number; serial: number }
  | { type: 1; version: RtrVersion; sessionId: number; serial: number }
  | { type: 2; version: RtrVersion }
  | { type: 3; version: RtrVersion; sessionId: number }
  | { type: 4 | 6; version: RtrVersion; announce: boolean; prefix: string; prefixLength: number; maxLength: number; asn: number }
  | { type: 7; version: RtrVersion; sessionId: number; serial: number; timers?: Timers }
  | { type: 8; version: RtrVersion }
  | { type: 9; version: RtrVersion; announce: boolean; ski: string; asn: number; spki: string }
  | { type: 10; version: RtrVersion; errorCode: number; pdu: Buffer; text: string }
  | { type: 11; version: RtrVersion; announce: boolean; customer: number; providers: number[] };

// ---------------------------------------------------------------- encoding

function header(version: RtrVersion, type: number, field: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  b[0] = version;
  b[1] = type;
  b.writeUInt16BE(field, 2);
  b.writeUInt32BE(length, 4);
  return b;
}

export function encodeSerialNotify(version: RtrVersion, sessionId: number, serial: number): Buffer {
  const b = header(version, PDU.serialNotify, sessionId, 12);
  b.writeUInt32BE(serial >>> 0, 8);
  return b;
}

export function encodeSerialQuery(version: RtrVersion, sessionId: number, serial: number): Buffer {
  const b = header(version, PDU.serialQuery, sessionId, 12);
  b.writeUInt32BE(serial >>> 0, 8);
  return b;
}

export function encodeResetQuery(version: RtrVersion): Buffer {
  return header(version, PDU.resetQuery, 0, 8);
}

export function encodeCacheResponse(version: RtrVersion, sessionId: number): Buffer {
  return header(version, PDU.cacheResponse, sessionId, 8);
}

export function encodeCacheReset(version: RtrVersion): Buffer {
  return header(version, PDU.cacheReset, 0, 8);
}

export function encodeEndOfData(version: RtrVersion, sessionId: number, serial: number, timers: Timers): Buffer {
  const b = header(version, PDU.endOfData, sessionId, version === 0 ? 12 : 24);
  b.writeUInt32BE(serial >>> 0, 8);
  if (version > 0) {
    b.writeUInt32BE(timers.refresh, 12);
    b.writeUInt32BE(timers.retry, 16);
    b.writeUInt32BE(timers.expire, 20);
  }
  return b;
}

export function encodeErrorReport(version: RtrVersion, code: number, pdu: Uint8Array, text: string): Buffer {
  const textBytes = Buffer.from(text, 'utf8');
  const length = 16 + pdu.length + textBytes.length;
  const b = header(version, PDU.errorReport, code, length);
  b.writeUInt32BE(pdu.length, 8);
  b.set(pdu, 12);
  b.writeUInt32BE(textBytes.length, 12 + pdu.length);
  textBytes.copy(b, 16 + pdu.length);
  return b;
}

/** Whether a record of this key type exists in the given protocol version. */
export function keyInVersion(key: string, version: RtrVersion): boolean {
  const t = key.charCodeAt(0);
  return t === PDU.routerKey ? version >= 1 : t === PDU.aspa ? version >= 2 : true;
}

/** Encoded size of a record PDU; an ASPA withdrawal carries no providers. */
export function recordPduLength(key: string, announce: boolean): number {
  const t = key.charCodeAt(0);
  if (t === PDU.ipv4Prefix) return 20;
  if (t === PDU.ipv6Prefix) return 32;
  if (t === PDU.aspa && !announce) return 12;
  return HEADER_LENGTH + key.length - 1;
}

/** Writes one record PDU at `off`; returns the offset after it. */
export function writeRecordPdu(b: Buffer, off: number, key: string, version: RtrVersion, announce: boolean): number {
  const t = key.charCodeAt(0);
  const len = recordPduLength(key, announce);
  b[off] = version;
  b[off + 1] = t;
  b[off + 4] = len >>> 24;
  b[off + 5] = (len >>> 16) & 0xff;
  b[off + 6] = (len >>> 8) & 0xff;
  b[off + 7] = len & 0xff;
  if (t === PDU.ipv4Prefix || t === PDU.ipv6Prefix) {
    const n = t === PDU.ipv4Prefix ? 4 : 16;
    b[off + 2] = 0;
    b[off + 3] = 0;
    b[off + 8] = announce ? 1 : 0;
    b[off + 9] = key.charCodeAt(1 + n);
    b[off + 10] = key.charCodeAt(2 + n);
    b[off + 11] = 0;
    for (let i = 0; i < n; i++) b[off + 12 + i] = key.charCodeAt(1 + i);
    const a = off + 12 + n;
    const k = 3 + n;
    b[a] = key.charCodeAt(k);
    b[a + 1] = key.charCodeAt(k + 1);
    b[a + 2] = key.charCodeAt(k + 2);
    b[a + 3] = key.charCodeAt(k + 3);
    return off + len;
  }
  b[off + 2] = announce ? 1 : 0;
  b[off + 3] = 0;
  if (t === PDU.routerKey) {
    // key: type, asn(4), ski(20), spki; PDU: ski(20), asn(4), spki
    b.write(key.slice(5, 25), off + 8, 'latin1');
    b.write(key.slice(1, 5), off + 28, 'latin1');
    b.write(key.slice(25), off + 32, 'latin1');
  } else {
    // ASPA: customer(4) then providers; a withdrawal names the customer only
    b.write(key.slice(1, announce ? key.length : 5), off + 8, 'latin1');
  }
  return off + len;
}

/** Encodes many records into one buffer: the batch that makes a full sync one write. */
export function encodeRecords(version: RtrVersion, withdrawn: readonly string[], announced: readonly string[]): Buffer {
  let total = 0;
  for (const k of withdrawn) if (keyInVersion(k, version)) total += recordPduLength(k, false);
  for (const k of announced) if (keyInVersion(k, version)) total += recordPduLength(k, true);
  const b = Buffer.allocUnsafe(total);
  let off = 0;
  for (const k of withdrawn) if (keyInVersion(k, version)) off = writeRecordPdu(b, off, k, version, false);
  for (const k of announced) if (keyInVersion(k, version)) off = writeRecordPdu(b, off, k, version, true);
  return b;
}

// ---------------------------------------------------------------- decoding

export interface HeaderCheck {
  /** versions this receiver speaks */
  maxVersion: RtrVersion;
  /** the version negotiated so far, if any */
  sessionVersion?: RtrVersion;
  /** who sent the bytes */
  from: 'router' | 'cache';
  /** upper bound on a PDU's length */
  maxLength?: number;
}

export interface Header {
  version: RtrVersion;
  type: number;
  field: number;
  length: number;
}

/** Validates the 8-byte header alone, so garbage is refused before its claimed length arrives. */
export function checkHeader(b: Uint8Array, opts: HeaderCheck): Header {
  const version = b[0]!;
  const type = b[1]!;
  const field = (b[2]! << 8) | b[3]!;
  const length = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
  if (opts.sessionVersion !== undefined && version !== opts.sessionVersion) {
    // 8210 section 7: a version change inside a session is fatal ("Unexpected Protocol Version");
    // RFC 6810 has no such code, so a version 0 session gets "Unsupported Protocol Version".
    const code = opts.sessionVersion === 0 ? ERR.unsupportedVersion : ERR.unexpectedVersion;
    throw new RtrDecodeError(code, 'version', `protocol version ${version} after version ${opts.sessionVersion} was negotiated`);
  }
  if (version > opts.maxVersion) {
    throw new RtrDecodeError(ERR.unsupportedVersion, 'version', `protocol version ${version} is not supported (highest is ${opts.maxVersion})`);
  }
  const v = version as RtrVersion;
  const spec = PDU_BY_TYPE.get(type);
  if (!spec || spec.since > v) {
    throw new RtrDecodeError(ERR.unsupportedPduType, 'type', `PDU type ${type} does not exist in protocol version ${v}`);
  }
  if (spec.from !== 'both' && spec.from !== opts.from) {
    throw new RtrDecodeError(ERR.invalidRequest, 'type', `${spec.name} PDU may not be sent by a ${opts.from}`);
  }
  const fixedLength = spec.length(v);
  if (fixedLength !== undefined && length !== fixedLength) {
    throw new RtrDecodeError(ERR.corruptData, 'length', `${spec.name} length ${length}, expected ${fixedLength}`);
  }
  if (length < spec.minLength) {
    throw new RtrDecodeError(ERR.corruptData, 'length', `${spec.name} length ${length} is below the minimum ${spec.minLength}`);
  }
  const max = opts.maxLength ?? MAX_ROUTER_PDU_LENGTH;
  if (length > max) {
    throw new RtrDecodeError(ERR.corruptData, 'length', `${spec.name} length ${length} exceeds the limit ${max}`);
  }
  return { version: v, type, field, length };
}

function zero(cond: boolean, field: string, type: number): void {
  if (!cond) throw new RtrDecodeError(ERR.corruptData, field, `${pduName(type)}: ${field} must be zero`);
}

function flagsOf(b: Uint8Array, at: number, type: number): boolean {
  const f = b[at]!;
  if ((f & 0xfe) !== 0) throw new RtrDecodeError(ERR.corruptData, 'flags', `${pduName(type)}: undefined flag bits 0x${f.toString(16)}`);
  return (f & 1) === 1;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes one complete PDU (b holds exactly header.length bytes). */
export function decodePdu(b: Buffer, opts: HeaderCheck): Pdu {
  if (b.length < HEADER_LENGTH) throw new RtrDecodeError(ERR.corruptData, 'length', `PDU shorter than its 8-byte header`);
  const h = checkHeader(b, opts);
  if (b.length !== h.length) throw new RtrDecodeError(ERR.corruptData, 'length', `${pduName(h.type)} length field ${h.length} but ${b.length} bytes`);
  const { version, type, field } = h;
  switch (type) {
    case PDU.serialNotify:
    case PDU.serialQuery:
      return { type, version, sessionId: field, serial: b.readUInt32BE(8) };
    case PDU.resetQuery:
    case PDU.cacheReset:
      zero(field === 0, 'zero', type);
      return { type, version };
    case PDU.cacheResponse:
      return { type, version, sessionId: field };
    case PDU.ipv4Prefix:
    case PDU.ipv6Prefix: {
      zero(field === 0, 'zero', type);
      const announce = flagsOf(b, 8, type);
      const bits = type === PDU.ipv4Prefix ? 32 : 128;
      const prefixLength = b[9]!;
      const maxLength = b[10]!;
      zero(b[11] === 0, 'zero', type);
      if (prefixLength > bits) throw new RtrDecodeError(ERR.corruptData, 'prefixLength', `prefix length ${prefixLength} exceeds ${bits}`);
      if (maxLength < prefixLength || maxLength > bits) {
        throw new RtrDecodeError(ERR.corruptData, 'maxLength', `max length ${maxLength} is outside ${prefixLength}..${bits}`);
      }
      const n = bits / 8;
      const addr = b.subarray(12, 12 + n);
      for (let i = 0; i < n; i++) {
        const keep = Math.max(0, Math.min(8, prefixLength - i * 8));
        const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
        if ((addr[i]! & ~mask) !== 0) throw new RtrDecodeError(ERR.corruptData, 'prefix', `prefix has bits set beyond /${prefixLength}`);
      }
      return {
        type,
        version,
        announce,
        prefix: formatBytePrefix(n === 4 ? 4 : 6, addr, prefixLength),
        prefixLength,
        maxLength,
        asn: b.readUInt32BE(12 + n),
      };
    }
    case PDU.endOfData: {
      const serial = b.readUInt32BE(8);
      if (version === 0) return { type, version, sessionId: field, serial };
      const timers = { refresh: b.readUInt32BE(12), retry: b.readUInt32BE(16), expire: b.readUInt32BE(20) };
      for (const name of ['refresh', 'retry', 'expire'] as const) {
        const r = TIMERS[name];
        if (timers[name] < r.min || timers[name] > r.max) {
          throw new RtrDecodeError(ERR.corruptData, name, `${name} interval ${timers[name]} is outside ${r.min}..${r.max}`);
        }
      }
      if (timers.expire <= timers.refresh || timers.expire <= timers.retry) {
        throw new RtrDecodeError(ERR.corruptData, 'expire', `expire interval must exceed refresh and retry`);
      }
      return { type, version, sessionId: field, serial, timers };
    }
    case PDU.routerKey: {
      const announce = flagsOf(b, 2, type);
      zero(b[3] === 0, 'zero', type);
      return {
        type,
        version,
        announce,
        ski: b.subarray(8, 28).toString('hex'),
        asn: b.readUInt32BE(28),
        spki: b.subarray(32).toString('base64'),
      };
    }
    case PDU.errorReport: {
      if (!ERROR_BY_CODE.has(field) || ERROR_BY_CODE.get(field)!.since > version) {
        throw new RtrDecodeError(ERR.corruptData, 'errorCode', `error code ${field} is not defined in version ${version}`);
      }
      const pduLen = b.readUInt32BE(8);
      if (pduLen > b.length - 16) throw new RtrDecodeError(ERR.corruptData, 'encapsulatedLength', `encapsulated PDU length ${pduLen} overruns the PDU`);
      const textLen = b.readUInt32BE(12 + pduLen);
      if (16 + pduLen + textLen !== b.length) {
        throw new RtrDecodeError(ERR.corruptData, 'textLength', `error text length ${textLen} does not match the PDU length`);
      }
      let text: string;
      try {
        text = utf8.decode(b.subarray(16 + pduLen));
      } catch {
        throw new RtrDecodeError(ERR.corruptData, 'text', 'error text is not UTF-8');
      }
      return { type, version, errorCode: field, pdu: Buffer.from(b.subarray(12, 12 + pduLen)), text };
    }
    case PDU.aspa: {
      const announce = flagsOf(b, 2, type);
      zero(b[3] === 0, 'zero', type);
      if ((b.length - 12) % 4 !== 0) throw new RtrDecodeError(ERR.corruptData, 'length', `ASPA length ${b.length} is not 12 + 4n`);
      const providers: number[] = [];
      for (let i = 12; i < b.length; i += 4) providers.push(b.readUInt32BE(i));
      if (announce === (providers.length === 0)) {
        throw new RtrDecodeError(ERR.aspaProviderListError, 'providers', announce ? 'ASPA announcement without providers' : 'ASPA withdrawal with providers');
      }
      return { type, version, announce, customer: b.readUInt32BE(8), providers };
    }
    default:
      throw new RtrDecodeError(ERR.unsupportedPduType, 'type', `PDU type ${type} is not supported`);
  }
}

/**
 * Splits a byte stream into PDUs. Returns the decoded PDUs and how many bytes they used; a trailing
 * partial PDU is left for the next call. Throws RtrDecodeError on the first malformed one.
 */
export function decodeStream(b: Buffer, opts: HeaderCheck): { pdus: Pdu[]; used: number } {
  const pdus: Pdu[] = [];
  let off = 0;
  while (b.length - off >= HEADER_LENGTH) {
    const h = checkHeader(b.subarray(off, off + HEADER_LENGTH), opts);
    if (b.length - off < h.length) break;
    pdus.push(decodePdu(b.subarray(off, off + h.length), opts));
    off += h.length;
  }
  return { pdus, used: off };
}
