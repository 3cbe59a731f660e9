/**
 * The persistent state of the CA tree (JSON, atomically replaced): which keys exist (sealed), which objects
 * each CA instance has issued (metadata only: the DER lives in the published repository), counters and
 * revocations. Keys are stored only through the KeyVault.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface IssuedRecord {
  /** Repository path relative to the rsync module root, e.g. "ex-lir/64496-0123abcd.roa". */
  file: string;
  serial: string;
  notAfter: string;
}

/** One key of a CA (RFC 6489: during a rollover a CA has a current and a new instance). */
export interface CaInstance {
  sealedKey: string;
  keyId: string;
  /** The certificate for this key: path, serial, validity end, the resources it carries (text). */
  cert: (IssuedRecord & { resources: string }) | null;
  mftNumber: string;
  crlNumber: string;
  /** When the manifest and CRL must next be re-issued (before their nextUpdate). */
  renewAt: string | null;
  /** Something this instance publishes changed since the last manifest. */
  dirty: boolean;
  revoked: { serial: string; date: string; until: string }[];
  /** Signed objects (ROAs, ASPAs) by content key. */
  objects: Record<string, IssuedRecord & { kind: 'roa' | 'asa' }>;
}

export interface CaRecord {
  handle: string;
  /** Publication point directory under the repository root. */
  dir: string;
  current: CaInstance;
  /** The new key while a rollover is staged (RFC 6489 §2 phase 1). */
  next?: CaInstance;
}

export interface CaState {
  version: 1;
  rsyncBase: string;
  notifyUri: string | null;
  ta: CaRecord;
  children: Record<string, CaRecord>;
}

export function loadState(file: string): CaState | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as CaState;
}

export function saveState(file: string, state: CaState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}
