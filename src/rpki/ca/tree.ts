/**
 * The hosted CA tree: one trust anchor CA and one child CA per resource holder (LIR). State changes only
 * through commands (sync, renew, startRollover, finishRollover); each command issues, re-issues, revokes
 * and withdraws objects, then the caller hands `files()` to the publisher.
 *
 * Krill-style split: this class decides *what* exists in the repository; publish/ writes it out.
 */
import { hash as hashOnce } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAsn, formatAsn } from '../../core/asn.js';
import { formatPrefix, parsePrefix, prefixToRange } from '../../core/prefix.js';
import { ResourceSet } from '../../core/resource-set.js';
import { FAMILY_BITS, type Prefix } from '../../core/types.js';
import { exportPkcs8, generateRsaKey, hex, keyFromPkcs8, sha256, type RsaKey } from '../crypto.js';
import type { KeyVault } from '../keystore.js';
import { issueCertificate, keyName } from '../objects/cert.js';
import { issueCrl } from '../objects/crl.js';
import { MANIFEST_CONTENT_TYPE, encodeManifestEntries, manifestEntry } from '../objects/mft.js';
import { ROA_CONTENT_TYPE, encodeRoa } from '../objects/roa.js';
import { ASPA_CONTENT_TYPE, encodeAspa, type AspaProfile } from '../objects/aspa.js';
import { issueSignedObject } from '../objects/signed.js';
import { loadState, saveState, type CaInstance, type CaRecord, type CaState, type IssuedRecord } from './state.js';
import { DAY, HOUR, WorkQueue, mapLimit, randomSerial, yieldToEventLoop, type Logger } from './util.js';

export interface HolderInput {
  handle: string;
  resources: ResourceSet;
}

export interface RoaInput {
  holderHandle: string;
  prefix: string | Prefix;
  /** Defaults to the prefix length. */
  maxLength?: number;
  asn: bigint | number | string;
}

export interface AspaInput {
  holderHandle: string;
  customerAsn: bigint | number | string;
  providers: (bigint | number | string)[];
}

export interface SyncInput {
  /** New trust anchor resources (e.g. the NIR received an allocation); the TA certificate is re-issued. */
  taResources?: ResourceSet;
  holders: HolderInput[];
  roas: RoaInput[];
  aspas?: AspaInput[];
}

export interface Vrp {
  asn: bigint;
  prefix: Prefix;
  maxLength: number;
  holderHandle: string;
}

export interface SyncReport {
  issued: string[];
  withdrawn: string[];
  /** Input rows that could not be certified, with the reason (e.g. prefix not held). */
  skipped: { item: string; reason: string }[];
  changed: boolean;
}

export interface CaTreeOptions {
  stateFile: string;
  repoDir: string;
  vault: KeyVault;
  /** rsync URI of the repository root, ending in "/" (e.g. rsync://127.0.0.1:8873/repo/). */
  rsyncBase: string;
  /** RRDP notification URI (https), advertised in CA certificates when set. */
  notifyUri?: string | null;
  /** Resources of the trust anchor (the registry root's or the NIR's). */
  taResources: ResourceSet;
  now?: () => Date;
  /** Source of fresh one-time keys (manifest EE certificates, and signed objects unless eeKey is set). */
  oneTimeKey?: () => Promise<RsaKey>;
  /** Key for each signed object's EE certificate; one fresh key per object unless replaced (bench). */
  eeKey?: () => Promise<RsaKey>;
  log?: Logger;
  concurrency?: number;
  /** ASPA encoding; 'v0' for relying parties that implement only the earlier drafts (rpki-client 8.x). */
  aspaProfile?: AspaProfile;
}

type ObjectRecord = CaInstance['objects'][string];
type RoaContent = { asn: bigint; prefix: Prefix; maxLength: number };
type AspaContent = { customer: bigint; providers: bigint[] };

const TA_DIR = 'ta';
const TA_CERT = 'ta.cer';
const TA_VALIDITY = 10 * 365 * DAY;
const CA_VALIDITY = 365 * DAY;
const CA_RENEW_BEFORE = 120 * DAY;
const EE_VALIDITY = 365 * DAY;
const EE_RENEW_BEFORE = 30 * DAY;
/** Manifest/CRL nextUpdate window, and when to re-issue them (8 hours before it closes). */
export const MFT_VALIDITY = 24 * HOUR;
export const MFT_RENEW_AFTER = 16 * HOUR;
/** notBefore slack for relying parties whose clocks run slightly behind. */
const BACKDATE = 5 * 60_000;

const sha = (s: string) => hashOnce('sha256', s, 'hex');

function safeDir(handle: string): string {
  const s = handle.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return s === handle ? `ca/${s}` : `ca/${s}-${sha(handle).slice(0, 8)}`;
}

function roaKey(r: RoaContent): string {
  return `roa:${r.asn}:${formatPrefix(r.prefix)}:${r.maxLength}`;
}

function aspaKey(a: AspaContent): string {
  return `asa:${a.customer}:${a.providers.join(',')}`;
}

export function parseKeyContent(key: string): { kind: 'roa'; roa: RoaContent } | { kind: 'asa'; aspa: AspaContent } {
  const [kind, a, b, c] = key.split(':');
  if (kind === 'roa') {
    // the prefix itself may contain ':' (IPv6): the max length is the last field
    const rest = key.slice(kind.length + 1 + a!.length + 1);
    const i = rest.lastIndexOf(':');
    return { kind: 'roa', roa: { asn: BigInt(a!), prefix: parsePrefix(rest.slice(0, i)), maxLength: Number(rest.slice(i + 1)) } };
  }
  void c;
  return { kind: 'asa', aspa: { customer: BigInt(a!), providers: b ? b.split(',').map(BigInt) : [] } };
}

const toBig = (x: bigint | number | string) => (typeof x === 'bigint' ? x : typeof x === 'number' ? BigInt(x) : parseAsn(x));

export class CaTree {
  private readonly keys = new Map<string, RsaKey>();
  private readonly published = new Map<string, Uint8Array>();
  private readonly contexts = new WeakMap<CaInstance, { cert: NonNullable<CaInstance['cert']>; issuer: { key: RsaKey; name: string }; caNotAfter: number; crlUri: string; issuerCertUri: string }>();
  /** Each published object's manifest entry (FileAndHash DER), computed when it is issued; valid while `der` is published. */
  private readonly mftEntries = new Map<string, { der: Uint8Array; entry: Uint8Array }>();
  private readonly now: () => Date;
  private readonly concurrency: number;
  private taResources: ResourceSet;

  private constructor(
    private readonly opts: CaTreeOptions,
    private state: CaState,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.concurrency = opts.concurrency ?? 64;
    this.taResources = opts.taResources;
  }

  static async open(opts: CaTreeOptions): Promise<CaTree> {
    const saved = loadState(opts.stateFile);
    let tree: CaTree;
    if (saved) {
      tree = new CaTree(opts, saved);
      const sameUris = saved.rsyncBase === opts.rsyncBase && saved.notifyUri === (opts.notifyUri ?? null);
      if (!sameUris || !tree.loadPublished()) {
        opts.log?.info(`rpki: repository URIs changed or files missing; re-issuing every object`);
        tree.rebase();
      }
    } else {
      const key = await generateRsaKey();
      tree = new CaTree(opts, {
        version: 1,
        rsyncBase: opts.rsyncBase,
        notifyUri: opts.notifyUri ?? null,
        ta: { handle: 'ta', dir: TA_DIR, current: tree_newInstance(opts.vault, key) },
        children: {},
      });
      tree.keys.set(hex(key.keyId), key);
    }
    await tree.ensureTaCert();
    await tree.renewPublicationPoints();
    tree.save();
    return tree;
  }

  /** Everything the repository must contain now: path (relative to the rsync module) → DER. */
  files(): ReadonlyMap<string, Uint8Array> {
    return this.published;
  }

  taCertificate(): Uint8Array {
    return this.published.get(TA_CERT)!;
  }

  taKey(): RsaKey {
    return this.key(this.state.ta.current);
  }

  taCertUri(): string {
    return this.opts.rsyncBase + TA_CERT;
  }

  /** Holders that have a CA, with the resources certified for them. */
  holders(): { handle: string; resources: string; keyId: string; rollover: boolean }[] {
    return Object.values(this.state.children).map((c) => ({
      handle: c.handle,
      resources: c.current.cert?.resources ?? '',
      keyId: c.current.keyId,
      rollover: !!c.next,
    }));
  }

  /** The VRPs the published ROAs carry. */
  vrps(): Vrp[] {
    const out: Vrp[] = [];
    for (const c of Object.values(this.state.children)) {
      for (const key of Object.keys(c.current.objects)) {
        const parsed = parseKeyContent(key);
        if (parsed.kind === 'roa') out.push({ ...parsed.roa, holderHandle: c.handle });
      }
    }
    return out;
  }

  aspas(): { customer: bigint; providers: bigint[]; holderHandle: string }[] {
    const out: { customer: bigint; providers: bigint[]; holderHandle: string }[] = [];
    for (const c of Object.values(this.state.children)) {
      for (const key of Object.keys(c.current.objects)) {
        const parsed = parseKeyContent(key);
        if (parsed.kind === 'asa') out.push({ ...parsed.aspa, holderHandle: c.handle });
      }
    }
    return out;
  }

  /** Brings the tree in line with the registry: child CAs, their resources, ROAs and ASPAs. */
  async sync(input: SyncInput): Promise<SyncReport> {
    const report: SyncReport = { issued: [], withdrawn: [], skipped: [], changed: false };
    if (input.taResources && !input.taResources.equals(this.taResources)) {
      this.taResources = input.taResources;
      await this.ensureTaCert();
      this.state.ta.current.dirty = true;
      report.issued.push(TA_CERT);
    }
    const ta = this.taResources;
    const wanted = new Map<string, ResourceSet>();
    for (const h of input.holders) {
      const res = h.resources.intersect(ta);
      if (!res.equals(h.resources)) report.skipped.push({ item: `holder ${h.handle}`, reason: `resources outside the trust anchor: ${h.resources.subtract(ta)}` });
      const prev = wanted.get(h.handle);
      wanted.set(h.handle, prev ? prev.union(res) : res);
    }
    for (const [handle, res] of wanted) {
      if (res.isEmpty()) {
        wanted.delete(handle);
        report.skipped.push({ item: `holder ${handle}`, reason: 'holds no resources' });
      }
    }
    for (const handle of Object.keys(this.state.children)) {
      if (!wanted.has(handle)) this.removeChild(handle, report);
    }
    for (const [handle, res] of wanted) {
      let child = this.state.children[handle];
      if (!child) {
        const key = await generateRsaKey();
        this.keys.set(hex(key.keyId), key);
        child = { handle, dir: safeDir(handle), current: tree_newInstance(this.opts.vault, key) };
        this.state.children[handle] = child;
      }
      for (const inst of [child.current, child.next]) {
        if (inst) await this.ensureChildCert(child, inst, res, report);
      }
    }

    // Desired signed objects per holder. Objects to (re-)issue are queued as soon as they are read, so that
    // signing on the thread pool starts while the rest of a large input is still being checked.
    const now = this.now();
    type Content = { kind: 'roa'; roa: RoaContent } | { kind: 'asa'; aspa: AspaContent };
    const queue = new WorkQueue<{ child: CaRecord; key: string; content: Content }>(this.concurrency, async ({ child, key, content }) => {
      const old = child.current.objects[key];
      if (old) this.revokeObject(child.current, key, old, now);
      await this.issueObject(child, child.current, key, content);
      report.issued.push(child.current.objects[key]!.file);
    });
    const desired = new Map<string, Map<string, Content>>();
    for (const handle of wanted.keys()) desired.set(handle, new Map());
    let read = 0;
    const want = async (handle: string, key: string, content: Content) => {
      const set = desired.get(handle)!;
      if (set.has(key)) return;
      set.set(key, content);
      const child = this.state.children[handle]!;
      const rec = child.current.objects[key];
      if (!rec || Date.parse(rec.notAfter) - now.getTime() < EE_RENEW_BEFORE) queue.push({ child, key, content });
      if (++read % 256 === 0) await yieldToEventLoop();
    };
    try {
      for (const r of input.roas) {
        const label = () => `ROA ${typeof r.prefix === 'string' ? r.prefix : formatPrefix(r.prefix)} ${String(r.asn)} (${r.holderHandle})`;
        let content: RoaContent;
        try {
          const prefix = typeof r.prefix === 'string' ? parsePrefix(r.prefix) : r.prefix;
          const maxLength = r.maxLength ?? prefix.length;
          if (!Number.isInteger(maxLength) || maxLength < prefix.length || maxLength > FAMILY_BITS[prefix.family]) throw new Error(`max length ${maxLength} outside ${prefix.length}..${FAMILY_BITS[prefix.family]}`);
          content = { asn: toBig(r.asn), prefix, maxLength };
        } catch (e) {
          report.skipped.push({ item: label(), reason: (e as Error).message });
          continue;
        }
        const res = wanted.get(r.holderHandle);
        if (!res) {
          report.skipped.push({ item: label(), reason: 'holder has no CA (no resources)' });
          continue;
        }
        if (!res.contains(prefixToRange(content.prefix))) {
          report.skipped.push({ item: label(), reason: 'prefix not covered by the holder’s resources' });
          continue;
        }
        await want(r.holderHandle, roaKey(content), { kind: 'roa', roa: content });
      }
      for (const a of input.aspas ?? []) {
        const label = `ASPA ${String(a.customerAsn)} (${a.holderHandle})`;
        let content: AspaContent;
        try {
          const customer = toBig(a.customerAsn);
          const providers = [...new Set(a.providers.map(toBig))].filter((p) => p !== customer).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
          if (!providers.length) throw new Error('no provider ASes');
          content = { customer, providers };
        } catch (e) {
          report.skipped.push({ item: label, reason: (e as Error).message });
          continue;
        }
        const res = wanted.get(a.holderHandle);
        if (!res || !res.containsValue('asn', content.customer)) {
          report.skipped.push({ item: label, reason: 'customer AS not held by the holder' });
          continue;
        }
        await want(a.holderHandle, aspaKey(content), { kind: 'asa', aspa: content });
      }
      // withdraw what the registry no longer asks for (whatever is being issued meanwhile is wanted)
      for (const [handle, set] of desired) {
        const inst = this.state.children[handle]!.current;
        for (const [key, rec] of Object.entries(inst.objects)) {
          if (!set.has(key)) {
            this.revokeObject(inst, key, rec, now);
            report.withdrawn.push(rec.file);
          }
        }
      }
    } finally {
      await queue.close();
    }

    report.changed = report.issued.length > 0 || report.withdrawn.length > 0 || this.anyDirty();
    await this.renewPublicationPoints();
    this.save();
    return report;
  }

  /** Re-issues manifests and CRLs that are inside their renewal window. Returns whether anything changed. */
  async renew(): Promise<boolean> {
    const due = this.instances().some(({ inst }) => inst.dirty || (inst.renewAt && Date.parse(inst.renewAt) <= this.now().getTime()));
    if (!due) return false;
    await this.renewPublicationPoints();
    this.save();
    return true;
  }

  /** RFC 6489 phase 1: a new key for the holder's CA, certified by the parent, publishing an empty manifest and CRL. */
  async startRollover(handle: string): Promise<void> {
    const child = this.state.children[handle];
    if (!child) throw new Error(`no CA for ${handle}`);
    if (child.next) throw new Error(`${handle}: a key rollover is already staged`);
    const key = await generateRsaKey();
    this.keys.set(hex(key.keyId), key);
    child.next = tree_newInstance(this.opts.vault, key);
    await this.ensureChildCert(child, child.next, ResourceSet.parse(child.current.cert!.resources), { issued: [], withdrawn: [], skipped: [], changed: false });
    await this.renewPublicationPoints();
    this.save();
  }

  /**
   * RFC 6489 phases 2-3: the new key re-issues every signed object, the parent revokes the old key's
   * certificate and the old manifest and CRL are withdrawn.
   */
  async finishRollover(handle: string): Promise<void> {
    const child = this.state.children[handle];
    if (!child?.next) throw new Error(`${handle}: no key rollover staged`);
    const oldInst = child.current;
    const newInst = child.next;
    await mapLimit(Object.keys(oldInst.objects), this.concurrency, async (key) => {
      this.published.delete(oldInst.objects[key]!.file);
      await this.issueObject(child, newInst, key, parseKeyContent(key));
    });
    const ta = this.state.ta.current;
    const now = this.now();
    if (oldInst.cert) {
      ta.revoked.push({ serial: oldInst.cert.serial, date: now.toISOString(), until: oldInst.cert.notAfter });
      this.published.delete(oldInst.cert.file);
    }
    this.published.delete(this.mftPath(child, oldInst));
    this.published.delete(this.crlPath(child, oldInst));
    ta.dirty = true;
    newInst.dirty = true;
    child.current = newInst;
    delete child.next;
    this.keys.delete(oldInst.keyId);
    await this.renewPublicationPoints();
    this.save();
  }

  async rollover(handle: string): Promise<void> {
    await this.startRollover(handle);
    await this.finishRollover(handle);
  }

  // ---------------------------------------------------------------------------------------------------

  private instances(): { ca: CaRecord; inst: CaInstance }[] {
    const out = [{ ca: this.state.ta, inst: this.state.ta.current }];
    for (const c of Object.values(this.state.children)) {
      out.push({ ca: c, inst: c.current });
      if (c.next) out.push({ ca: c, inst: c.next });
    }
    return out;
  }

  private anyDirty(): boolean {
    return this.instances().some(({ inst }) => inst.dirty);
  }

  private key(inst: CaInstance): RsaKey {
    let k = this.keys.get(inst.keyId);
    if (!k) {
      k = keyFromPkcs8(this.opts.vault.decrypt(inst.sealedKey));
      this.keys.set(inst.keyId, k);
    }
    return k;
  }

  private uri(path: string): string {
    return this.opts.rsyncBase + path;
  }

  private mftPath(ca: CaRecord, inst: CaInstance): string {
    return `${ca.dir}/${keyName(Buffer.from(inst.keyId, 'hex'))}.mft`;
  }

  private crlPath(ca: CaRecord, inst: CaInstance): string {
    return `${ca.dir}/${keyName(Buffer.from(inst.keyId, 'hex'))}.crl`;
  }

  private caSia(ca: CaRecord, inst: CaInstance) {
    return {
      caRepository: this.uri(`${ca.dir}/`),
      rpkiManifest: this.uri(this.mftPath(ca, inst)),
      rpkiNotify: this.opts.notifyUri ?? undefined,
    };
  }

  /** What every object a CA instance issues shares; computed once per certificate of that instance. */
  private issuingContext(ca: CaRecord, inst: CaInstance) {
    const cert = inst.cert!;
    let c = this.contexts.get(inst);
    if (c?.cert !== cert) {
      c = {
        cert,
        issuer: this.issuerOf(inst),
        caNotAfter: Date.parse(cert.notAfter),
        crlUri: this.uri(this.crlPath(ca, inst)),
        issuerCertUri: this.uri(cert.file),
      };
      this.contexts.set(inst, c);
    }
    return c;
  }

  private issuerOf(inst: CaInstance) {
    const key = this.key(inst);
    return { key, name: keyName(key.keyId) };
  }

  private async ensureTaCert(): Promise<void> {
    const ta = this.state.ta;
    const inst = ta.current;
    const res = this.taResources.toString();
    const now = this.now();
    if (inst.cert && inst.cert.resources === res && Date.parse(inst.cert.notAfter) - now.getTime() > CA_RENEW_BEFORE && this.published.has(TA_CERT)) return;
    const key = this.key(inst);
    const serial = randomSerial();
    const notAfter = new Date(now.getTime() + TA_VALIDITY);
    const der = await issueCertificate({
      serial,
      issuer: { key, name: keyName(key.keyId) },
      subjectSpki: key.spki,
      subjectKeyId: key.keyId,
      notBefore: new Date(now.getTime() - BACKDATE),
      notAfter,
      ca: true,
      sia: this.caSia(ta, inst),
      ip: this.taResources,
      asn: this.taResources,
    });
    inst.cert = { file: TA_CERT, serial: serial.toString(), notAfter: notAfter.toISOString(), resources: res };
    this.published.set(TA_CERT, der);
  }

  private async ensureChildCert(child: CaRecord, inst: CaInstance, res: ResourceSet, report: SyncReport): Promise<void> {
    const text = res.toString();
    const now = this.now();
    const old = inst.cert;
    if (old && old.resources === text && Date.parse(old.notAfter) - now.getTime() > CA_RENEW_BEFORE) return;
    const ta = this.state.ta.current;
    const childKey = this.key(inst);
    const file = `${TA_DIR}/${keyName(childKey.keyId)}.cer`;
    if (old) {
      ta.revoked.push({ serial: old.serial, date: now.toISOString(), until: old.notAfter });
      // ROAs the new resources no longer cover are withdrawn by the sync that follows; do it here too so
      // a shrinking certificate never goes out with over-claiming objects beside it.
      const keep = res;
      for (const [key, rec] of Object.entries(inst.objects)) {
        const c = parseKeyContent(key);
        const covered = c.kind === 'roa' ? keep.contains(prefixToRange(c.roa.prefix)) : keep.containsValue('asn', c.aspa.customer);
        if (!covered) {
          this.revokeObject(inst, key, rec, now);
          report.withdrawn.push(rec.file);
        }
      }
    }
    const serial = randomSerial();
    const notAfter = new Date(now.getTime() + CA_VALIDITY);
    const der = await issueCertificate({
      serial,
      issuer: this.issuerOf(ta),
      subjectSpki: childKey.spki,
      subjectKeyId: childKey.keyId,
      notBefore: new Date(now.getTime() - BACKDATE),
      notAfter,
      ca: true,
      crlUri: this.uri(this.crlPath(this.state.ta, ta)),
      issuerCertUri: this.taCertUri(),
      sia: this.caSia(child, inst),
      ip: res,
      asn: res,
    });
    inst.cert = { file, serial: serial.toString(), notAfter: notAfter.toISOString(), resources: text };
    this.published.set(file, der);
    ta.dirty = true;
    inst.dirty = true;
    report.issued.push(file);
  }

  private removeChild(handle: string, report: SyncReport): void {
    const child = this.state.children[handle]!;
    const ta = this.state.ta.current;
    const now = this.now();
    for (const inst of [child.current, child.next]) {
      if (!inst) continue;
      if (inst.cert) {
        ta.revoked.push({ serial: inst.cert.serial, date: now.toISOString(), until: inst.cert.notAfter });
        this.published.delete(inst.cert.file);
        report.withdrawn.push(inst.cert.file);
      }
      for (const rec of Object.values(inst.objects)) {
        this.published.delete(rec.file);
        report.withdrawn.push(rec.file);
      }
      this.published.delete(this.mftPath(child, inst));
      this.published.delete(this.crlPath(child, inst));
      this.keys.delete(inst.keyId);
    }
    ta.dirty = true;
    delete this.state.children[handle];
  }

  private revokeObject(inst: CaInstance, key: string, rec: ObjectRecord, now: Date): void {
    inst.revoked.push({ serial: rec.serial, date: now.toISOString(), until: rec.notAfter });
    this.published.delete(rec.file);
    delete inst.objects[key];
    inst.dirty = true;
  }

  private async issueObject(
    ca: CaRecord,
    inst: CaInstance,
    key: string,
    content: { kind: 'roa'; roa: RoaContent } | { kind: 'asa'; aspa: AspaContent },
  ): Promise<void> {
    const now = this.now();
    const ctx = this.issuingContext(ca, inst);
    const notAfter = new Date(Math.min(now.getTime() + EE_VALIDITY, ctx.caNotAfter));
    const name =
      content.kind === 'roa'
        ? `${content.roa.asn}-${sha(key).slice(0, 16)}.roa`
        : `${formatAsn(content.aspa.customer)}.asa`;
    const file = `${ca.dir}/${name}`;
    const serial = randomSerial();
    const eeKey = await (this.opts.eeKey ?? this.opts.oneTimeKey ?? generateRsaKey)();
    const common = {
      serial,
      issuer: ctx.issuer,
      notBefore: new Date(now.getTime() - BACKDATE),
      notAfter,
      crlUri: ctx.crlUri,
      issuerCertUri: ctx.issuerCertUri,
      sia: { signedObject: this.uri(file) },
    };
    const der =
      content.kind === 'roa'
        ? await issueSignedObject({
            eContentType: ROA_CONTENT_TYPE,
            eContent: encodeRoa({ asn: content.roa.asn, prefixes: [{ prefix: content.roa.prefix, maxLength: content.roa.maxLength }] }),
            eeKey,
            ee: { ...common, ip: ResourceSet.fromRanges([prefixToRange(content.roa.prefix)]) },
          })
        : await issueSignedObject({
            eContentType: ASPA_CONTENT_TYPE,
            eContent: encodeAspa({ customer: content.aspa.customer, providers: content.aspa.providers }, this.opts.aspaProfile),
            eeKey,
            ee: { ...common, asn: ResourceSet.fromRanges([{ family: 'asn', start: content.aspa.customer, end: content.aspa.customer }]) },
          });
    inst.objects[key] = { kind: content.kind, file, serial: serial.toString(), notAfter: notAfter.toISOString() };
    this.published.set(file, der);
    // hashed now, while other objects are being signed, rather than all at once when the manifest is built
    this.manifestEntryOf(file, der);
    inst.dirty = true;
  }

  /** New CRL + manifest for every CA instance whose content changed or whose window is closing. */
  private async renewPublicationPoints(): Promise<void> {
    const now = this.now();
    const due = this.instances().filter(
      ({ inst }) => inst.dirty || !inst.renewAt || Date.parse(inst.renewAt) <= now.getTime(),
    );
    // the parent's manifest lists the children's certificates, so do children first, then the TA
    due.sort((a, b) => Number(a.ca === this.state.ta) - Number(b.ca === this.state.ta));
    await mapLimit(due, this.concurrency, async ({ ca, inst }) => {
      if (!inst.cert) return;
      const issuer = this.issuerOf(inst);
      const thisUpdate = now;
      const nextUpdate = new Date(now.getTime() + MFT_VALIDITY);
      inst.revoked = inst.revoked.filter((r) => Date.parse(r.until) > now.getTime());
      const crlNumber = BigInt(inst.crlNumber) + 1n;
      const crl = await issueCrl({
        issuer,
        number: crlNumber,
        thisUpdate,
        nextUpdate,
        revoked: inst.revoked.map((r) => ({ serial: BigInt(r.serial), date: new Date(r.date) })),
      });
      const crlPath = this.crlPath(ca, inst);
      this.published.set(crlPath, crl);
      inst.crlNumber = crlNumber.toString();

      const dirPrefix = `${ca.dir}/`;
      const listed: string[] = [crlPath];
      for (const rec of Object.values(inst.objects)) listed.push(rec.file);
      if (ca === this.state.ta) {
        for (const c of Object.values(this.state.children)) {
          for (const i of [c.current, c.next]) if (i?.cert) listed.push(i.cert.file);
        }
      }
      const entries = listed
        .filter((f) => f.startsWith(dirPrefix) && this.published.has(f))
        .sort()
        .map((f) => this.manifestEntryOf(f, this.published.get(f)!));
      const mftNumber = BigInt(inst.mftNumber) + 1n;
      const mftPath = this.mftPath(ca, inst);
      const eeKey = await (this.opts.oneTimeKey ?? generateRsaKey)(); // RFC 9286 §5.1: a new key pair for every manifest
      const mft = await issueSignedObject({
        eContentType: MANIFEST_CONTENT_TYPE,
        eContent: encodeManifestEntries({ number: mftNumber, thisUpdate, nextUpdate }, entries),
        eeKey,
        ee: {
          serial: randomSerial(),
          issuer,
          notBefore: thisUpdate,
          notAfter: nextUpdate,
          crlUri: this.uri(crlPath),
          issuerCertUri: this.uri(inst.cert.file),
          sia: { signedObject: this.uri(mftPath) },
          ip: 'inherit',
          asn: 'inherit',
        },
      });
      this.published.set(mftPath, mft);
      inst.mftNumber = mftNumber.toString();
      inst.renewAt = new Date(now.getTime() + MFT_RENEW_AFTER).toISOString();
      inst.dirty = false;
    });
    for (const [path, e] of this.mftEntries) if (this.published.get(path) !== e.der) this.mftEntries.delete(path);
  }

  private manifestEntryOf(path: string, der: Uint8Array): Uint8Array {
    const known = this.mftEntries.get(path);
    if (known?.der === der) return known.entry;
    const entry = manifestEntry(path.slice(path.lastIndexOf('/') + 1), sha256(der));
    this.mftEntries.set(path, { der, entry });
    return entry;
  }

  /** Loads the DER of every issued object from the repository; false when something is missing. */
  private loadPublished(): boolean {
    const paths: string[] = [];
    for (const { ca, inst } of this.instances()) {
      if (inst.cert) paths.push(inst.cert.file);
      paths.push(this.mftPath(ca, inst), this.crlPath(ca, inst));
      for (const rec of Object.values(inst.objects)) paths.push(rec.file);
    }
    for (const p of paths) {
      const full = join(this.opts.repoDir, p);
      if (!existsSync(full)) return false;
      this.published.set(p, new Uint8Array(readFileSync(full)));
    }
    return true;
  }

  /** Keeps every key, forgets every issued object: the next commands re-issue all of them. */
  private rebase(): void {
    this.published.clear();
    this.state.rsyncBase = this.opts.rsyncBase;
    this.state.notifyUri = this.opts.notifyUri ?? null;
    for (const { inst } of this.instances()) {
      inst.cert = null;
      inst.objects = {};
      inst.revoked = [];
      inst.dirty = true;
    }
    // child certificates are re-issued by the next sync (their resources come from the registry)
    for (const c of Object.values(this.state.children)) c.current.cert = null;
  }

  private save(): void {
    saveState(this.opts.stateFile, this.state);
  }
}

function tree_newInstance(vault: KeyVault, key: RsaKey): CaInstance {
  return {
    sealedKey: vault.encrypt(exportPkcs8(key)),
    keyId: hex(key.keyId),
    cert: null,
    mftNumber: '0',
    crlNumber: '0',
    renewAt: null,
    dirty: true,
    revoked: [],
    objects: {},
  };
}

export type { IssuedRecord };
