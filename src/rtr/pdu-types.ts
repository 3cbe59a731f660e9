// RTR PDU types and error codes as data: RFC 6810 (version 0), RFC 8210 (version 1) and
// draft-ietf-sidrops-8210bis (version 2, ASPA). The codec and the session read these tables;
// nothing else hard-codes a PDU number or a length.

export type RtrVersion = 0 | 1 | 2;
export const RTR_VERSIONS: readonly RtrVersion[] = [0, 1, 2];

export type Direction = 'router' | 'cache' | 'both';

export interface PduTypeSpec {
  readonly type: number;
  readonly name: string;
  /** who may send it: 'router' = router to cache, 'cache' = cache to router */
  readonly from: Direction;
  /** lowest protocol version that has this PDU */
  readonly since: RtrVersion;
  /** fixed total length per version, or undefined when the length is variable */
  readonly length: (version: RtrVersion) => number | undefined;
  /** smallest legal total length (variable-length PDUs) */
  readonly minLength: number;
  /** meaning of header bytes 2-3 */
  readonly headerField: 'sessionId' | 'zero' | 'errorCode' | 'flags';
}

const fixed = (n: number) => () => n;

export const PDU = {
  serialNotify: 0,
  serialQuery: 1,
  resetQuery: 2,
  cacheResponse: 3,
  ipv4Prefix: 4,
  ipv6Prefix: 6,
  endOfData: 7,
  cacheReset: 8,
  routerKey: 9,
  errorReport: 10,
  aspa: 11,
} as const;

export const PDU_TYPES: readonly PduTypeSpec[] = [
  { type: 0, name: 'Serial Notify', from: 'cache', since: 0, length: fixed(12), minLength: 12, headerField: 'sessionId' },
  { type: 1, name: 'Serial Query', from: 'router', since: 0, length: fixed(12), minLength: 12, headerField: 'sessionId' },
  { type: 2, name: 'Reset Query', from: 'router', since: 0, length: fixed(8), minLength: 8, headerField: 'zero' },
  { type: 3, name: 'Cache Response', from: 'cache', since: 0, length: fixed(8), minLength: 8, headerField: 'sessionId' },
  { type: 4, name: 'IPv4 Prefix', from: 'cache', since: 0, length: fixed(20), minLength: 20, headerField: 'zero' },
  { type: 6, name: 'IPv6 Prefix', from: 'cache', since: 0, length: fixed(32), minLength: 32, headerField: 'zero' },
  // RFC 6810 End of Data carries only the serial; RFC 8210 adds refresh, retry and expire.
  { type: 7, name: 'End of Data', from: 'cache', since: 0, length: (v) => (v === 0 ? 12 : 24), minLength: 12, headerField: 'sessionId' },
  { type: 8, name: 'Cache Reset', from: 'cache', since: 0, length: fixed(8), minLength: 8, headerField: 'zero' },
  // header byte 2 = flags, byte 3 = zero; SKI(20) + ASN(4) + SubjectPublicKeyInfo
  { type: 9, name: 'Router Key', from: 'cache', since: 1, length: () => undefined, minLength: 32 + 1, headerField: 'flags' },
  { type: 10, name: 'Error Report', from: 'both', since: 0, length: () => undefined, minLength: 16, headerField: 'errorCode' },
  // 8210bis: header byte 2 = flags, byte 3 = zero; customer ASN(4) + provider ASNs(4 each)
  { type: 11, name: 'ASPA', from: 'cache', since: 2, length: () => undefined, minLength: 12, headerField: 'flags' },
];

export const PDU_BY_TYPE: ReadonlyMap<number, PduTypeSpec> = new Map(PDU_TYPES.map((p) => [p.type, p]));

export function pduName(type: number): string {
  return PDU_BY_TYPE.get(type)?.name ?? `type ${type}`;
}

export interface ErrorCodeSpec {
  readonly code: number;
  readonly name: string;
  readonly fatal: boolean;
  readonly since: RtrVersion;
}

export const ERR = {
  corruptData: 0,
  internalError: 1,
  noDataAvailable: 2,
  invalidRequest: 3,
  unsupportedVersion: 4,
  unsupportedPduType: 5,
  withdrawalOfUnknownRecord: 6,
  duplicateAnnouncement: 7,
  unexpectedVersion: 8,
  aspaProviderListError: 9,
} as const;

export const ERROR_CODES: readonly ErrorCodeSpec[] = [
  { code: 0, name: 'Corrupt Data', fatal: true, since: 0 },
  { code: 1, name: 'Internal Error', fatal: true, since: 0 },
  { code: 2, name: 'No Data Available', fatal: false, since: 0 },
  { code: 3, name: 'Invalid Request', fatal: true, since: 0 },
  { code: 4, name: 'Unsupported Protocol Version', fatal: true, since: 0 },
  { code: 5, name: 'Unsupported PDU Type', fatal: true, since: 0 },
  { code: 6, name: 'Withdrawal of Unknown Record', fatal: true, since: 0 },
  { code: 7, name: 'Duplicate Announcement Received', fatal: true, since: 0 },
  { code: 8, name: 'Unexpected Protocol Version', fatal: true, since: 1 },
  { code: 9, name: 'ASPA Provider List Error', fatal: true, since: 2 },
];

export const ERROR_BY_CODE: ReadonlyMap<number, ErrorCodeSpec> = new Map(ERROR_CODES.map((e) => [e.code, e]));

export function errorName(code: number): string {
  return ERROR_BY_CODE.get(code)?.name ?? `error ${code}`;
}

/** RFC 8210 section 6: recommended End of Data intervals (seconds) and their allowed ranges. */
export const TIMERS = {
  refresh: { default: 3600, min: 1, max: 86400 },
  retry: { default: 600, min: 1, max: 7200 },
  expire: { default: 7200, min: 600, max: 172800 },
} as const;

export const HEADER_LENGTH = 8;
/** Largest PDU a router may send us (an Error Report with an encapsulated PDU and text). */
export const MAX_ROUTER_PDU_LENGTH = 64 * 1024;
