// One router's RTR session as a pure state machine: bytes in, PDUs (as Buffers) and a close decision
// out. The TCP server wires it to a socket; tests and the fuzzer drive it directly.
import {
  RtrDecodeError,
  checkHeader,
  decodePdu,
  encodeCacheReset,
  encodeCacheResponse,
  encodeEndOfData,
  encodeErrorReport,
  encodeSerialNotify,
  type Pdu,
  type Timers,
} from './codec.js';
import { ERR, ERROR_BY_CODE, HEADER_LENGTH, MAX_ROUTER_PDU_LENGTH, PDU, errorName, pduName, type RtrVersion } from './pdu-types.js';

/** What the session needs from the cache. */
export interface CacheView {
  readonly maxVersion: RtrVersion;
  readonly timers: Timers;
  sessionId(): number;
  serial(): number;
  ready(): boolean;
  /** all current records encoded for `version` (shared, never modified) */
  snapshot(version: RtrVersion): Buffer;
  /** encoded net diff from `serial` to the current serial, or 'reset' */
  delta(version: RtrVersion, serial: number): Buffer | 'reset';
}

export interface SessionOutput {
  /** PDUs to send in order, as one batch */
  write(chunks: Buffer[]): void;
  /** end the connection after what was written */
  close(reason: string): void;
}

export type SessionEvent =
  | { kind: 'query'; pdu: 'reset' | 'serial'; version: RtrVersion; answer: 'data' | 'reset' | 'nodata' }
  | { kind: 'error-sent'; code: number; field: string; message: string }
  | { kind: 'error-received'; code: number; text: string }
  | { kind: 'notify'; serial: number };

export class RtrSession {
  version: RtrVersion | undefined;
  closed = false;
  /** serial of the last End of Data sent */
  lastSerial: number | undefined;
  private buf: Buffer = Buffer.alloc(0);

  constructor(
    private readonly cache: CacheView,
    private readonly out: SessionOutput,
    private readonly onEvent: (e: SessionEvent) => void = () => {},
  ) {}

  /** Bytes buffered but not yet a whole PDU (bounded by the maximum PDU length). */
  get pending(): number {
    return this.buf.length;
  }

  feed(chunk: Buffer): void {
    if (this.closed) return;
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let off = 0;
    try {
      while (!this.closed && this.buf.length - off >= HEADER_LENGTH) {
        const headerBytes = this.buf.subarray(off, off + HEADER_LENGTH);
        let length: number;
        try {
          length = checkHeader(headerBytes, this.headerOpts()).length;
        } catch (e) {
          const q = this.negotiationQuery(headerBytes);
          if (q > 0 && this.buf.length - off < q) break;
          if (q > 0) {
            // RFC 8210 section 7: a cache may answer a newer router in its own older version; the router
            // then downgrades (rtrdump, BIRD and OpenBSD bgpd do). Same bytes, our version number.
            const raw = Buffer.from(this.buf.subarray(off, off + q));
            off += q;
            raw[0] = this.cache.maxVersion;
            let pdu: Pdu;
            try {
              pdu = decodePdu(raw, this.headerOpts());
            } catch (e2) {
              this.fail(e2, raw);
              return;
            }
            this.handle(pdu, raw);
            continue;
          }
          this.fail(e, headerBytes);
          return;
        }
        if (this.buf.length - off < length) break;
        const pduBytes = this.buf.subarray(off, off + length);
        off += length;
        let pdu: Pdu;
        try {
          pdu = decodePdu(pduBytes, this.headerOpts());
        } catch (e) {
          this.fail(e, pduBytes);
          return;
        }
        this.handle(pdu, pduBytes);
      }
    } finally {
      // copy the remainder so the socket's chunk is not pinned
      this.buf = off === 0 ? this.buf : Buffer.from(this.buf.subarray(off));
      if (this.closed) this.buf = Buffer.alloc(0);
    }
  }

  /** Sends Serial Notify if the router has synced at least once. */
  notify(): void {
    if (this.closed || this.version === undefined || this.lastSerial === undefined) return;
    const serial = this.cache.serial();
    this.out.write([encodeSerialNotify(this.version, this.cache.sessionId(), serial)]);
    this.onEvent({ kind: 'notify', serial });
  }

  /** Ends the session with an Error Report (e.g. on timeouts or shutdown). */
  abort(code: number, text: string): void {
    if (this.closed) return;
    this.sendError(code, Buffer.alloc(0), text, 'session');
  }

  /** Length of a well-formed Reset/Serial Query of a version we do not speak (before negotiation), else 0. */
  private negotiationQuery(h: Buffer): number {
    if (this.version !== undefined || h[0]! <= this.cache.maxVersion) return 0;
    const len = h.readUInt32BE(4);
    if (h[1] === PDU.resetQuery && len === 8) return 8;
    if (h[1] === PDU.serialQuery && len === 12) return 12;
    return 0;
  }

  private headerOpts() {
    return { maxVersion: this.cache.maxVersion, sessionVersion: this.version, from: 'router' as const, maxLength: MAX_ROUTER_PDU_LENGTH };
  }

  private handle(pdu: Pdu, raw: Buffer): void {
    if (pdu.type === PDU.errorReport) {
      // never answer an Error Report with one (RFC 8210 section 5.11)
      this.onEvent({ kind: 'error-received', code: pdu.errorCode, text: pdu.text });
      if (ERROR_BY_CODE.get(pdu.errorCode)?.fatal !== false) this.close(`router sent ${errorName(pdu.errorCode)}: ${pdu.text}`);
      return;
    }
    if (pdu.type !== PDU.resetQuery && pdu.type !== PDU.serialQuery) {
      this.sendError(ERR.invalidRequest, raw, `unexpected ${pduName(pdu.type)} PDU`, 'type');
      return;
    }
    // the first query fixes the version (RFC 8210 section 7)
    this.version ??= pdu.version;
    const v = this.version;
    const kind = pdu.type === PDU.resetQuery ? 'reset' : 'serial';
    if (!this.cache.ready()) {
      this.onEvent({ kind: 'query', pdu: kind, version: v, answer: 'nodata' });
      this.out.write([encodeErrorReport(v, ERR.noDataAvailable, raw, 'no VRP data loaded yet')]);
      return;
    }
    const sessionId = this.cache.sessionId();
    const serial = this.cache.serial();
    if (pdu.type === PDU.serialQuery) {
      const delta = pdu.sessionId === sessionId ? this.cache.delta(v, pdu.serial) : 'reset';
      if (delta === 'reset') {
        this.onEvent({ kind: 'query', pdu: kind, version: v, answer: 'reset' });
        this.out.write([encodeCacheReset(v)]);
        return;
      }
      this.respond(v, sessionId, serial, delta);
      this.onEvent({ kind: 'query', pdu: kind, version: v, answer: 'data' });
      return;
    }
    this.respond(v, sessionId, serial, this.cache.snapshot(v));
    this.onEvent({ kind: 'query', pdu: kind, version: v, answer: 'data' });
  }

  private respond(v: RtrVersion, sessionId: number, serial: number, body: Buffer): void {
    this.out.write([encodeCacheResponse(v, sessionId), body, encodeEndOfData(v, sessionId, serial, this.cache.timers)]);
    this.lastSerial = serial;
  }

  private fail(e: unknown, raw: Buffer): void {
    if (!(e instanceof RtrDecodeError)) throw e;
    this.sendError(e.code, raw, e.message, e.field);
  }

  private sendError(code: number, raw: Buffer, text: string, field: string): void {
    // An Error Report must not answer an Error Report; a malformed one from the router just ends the session.
    if (raw.length >= 2 && raw[1] === PDU.errorReport) {
      this.close(`malformed Error Report from router: ${text}`);
      return;
    }
    // Unsupported version: answer in our highest version so the router can downgrade (RFC 8210 section 7).
    const v: RtrVersion = this.version ?? (raw.length > 0 && raw[0]! <= this.cache.maxVersion ? (raw[0] as RtrVersion) : this.cache.maxVersion);
    this.out.write([encodeErrorReport(v, code, raw, text)]);
    this.onEvent({ kind: 'error-sent', code, field, message: text });
    this.close(`${errorName(code)} (${field}): ${text}`);
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.out.close(reason);
  }
}
