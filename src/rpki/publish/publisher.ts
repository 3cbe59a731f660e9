/**
 * Publication: mirrors the CA tree's object set into <dataDir>/rpki/repo (served by rsync --daemon) and into
 * RRDP files under <dataDir>/rpki/rrdp (RFC 8182: notification, snapshot and deltas, one session id,
 * serials counting up). Every file is written to a temporary name and renamed; objects go first, manifests
 * after them and withdrawals last, so a reader sees a manifest only once the files it lists are in place.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, openSync, writeSync, closeSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../ca/util.js';

export interface PublisherOptions {
  repoDir: string;
  rrdpDir: string;
  rsyncBase: string;
  /** Base URL the RRDP files are fetched from, e.g. https://127.0.0.1:8443/rrdp/ ; unset: RRDP files are still kept. */
  rrdpBaseUrl?: string;
  /** How many deltas to keep (also capped so that their total size stays below the snapshot's). */
  maxDeltas?: number;
  log?: Logger;
}

interface DeltaRecord {
  serial: number;
  path: string;
  hash: string;
  size: number;
}

interface RrdpState {
  sessionId: string;
  serial: number;
  snapshot: { path: string; hash: string; size: number } | null;
  deltas: DeltaRecord[];
  /** rsync-relative path → sha256 hex of what is published. */
  objects: Record<string, string>;
  rrdpBaseUrl: string | null;
}

const NS = 'http://www.ripe.net/rpki/rrdp';
const sha256hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function writeAtomic(file: string, data: Uint8Array | string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  const tmp = join(dirname(file), `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  // rsync's quick check compares size and whole-second mtime: a replacement written in the same second as
  // the file it replaces (same size, as manifests often are) must still look newer to rsync clients
  try {
    const old = Math.floor(statSync(file).mtimeMs / 1000);
    const now = Math.floor(Date.now() / 1000);
    if (now <= old) utimesSync(tmp, old + 1, old + 1);
  } catch {
    /* new file */
  }
  renameSync(tmp, file);
}

const isManifest = (p: string) => p.endsWith('.mft');

export class Publisher {
  private state: RrdpState;
  private readonly stateFile: string;

  constructor(private readonly opts: PublisherOptions) {
    this.stateFile = join(opts.rrdpDir, 'state.json');
    mkdirSync(opts.repoDir, { recursive: true, mode: 0o755 });
    mkdirSync(opts.rrdpDir, { recursive: true, mode: 0o755 });
    chmodSync(opts.repoDir, 0o755);
    const saved = existsSync(this.stateFile) ? (JSON.parse(readFileSync(this.stateFile, 'utf8')) as RrdpState) : null;
    if (saved && saved.rrdpBaseUrl === (opts.rrdpBaseUrl ?? null) && existsSync(join(opts.rrdpDir, 'notification.xml'))) {
      this.state = saved;
    } else {
      // a new session: relying parties fall back to the snapshot (RFC 8182 §3.3.1)
      this.state = { sessionId: randomUUID(), serial: 0, snapshot: null, deltas: [], objects: saved?.objects ?? this.scanRepo(), rrdpBaseUrl: opts.rrdpBaseUrl ?? null };
      this.state.serial = 0;
    }
  }

  get sessionId(): string {
    return this.state.sessionId;
  }

  get serial(): number {
    return this.state.serial;
  }

  /** Makes the repository equal `files`; returns the RRDP serial after publication. */
  publish(files: ReadonlyMap<string, Uint8Array>): { serial: number; changed: number } {
    const prev = this.state.objects;
    const next: Record<string, string> = {};
    const changed: { path: string; old?: string }[] = [];
    for (const [path, der] of files) {
      const h = sha256hex(der);
      next[path] = h;
      if (prev[path] !== h) changed.push({ path, old: prev[path] });
    }
    const withdrawn = Object.keys(prev).filter((p) => !(p in next));
    if (!changed.length && !withdrawn.length && this.state.snapshot) return { serial: this.state.serial, changed: 0 };

    changed.sort((a, b) => Number(isManifest(a.path)) - Number(isManifest(b.path)));
    for (const c of changed) writeAtomic(join(this.opts.repoDir, c.path), files.get(c.path)!);
    for (const p of withdrawn) {
      try {
        unlinkSync(join(this.opts.repoDir, p));
      } catch {
        /* already gone */
      }
    }
    this.removeEmptyDirs(this.opts.repoDir);

    const serial = this.state.serial + 1;
    const dir = `${this.state.sessionId}/${serial}`;
    const salt = Math.random().toString(36).slice(2, 10);
    // The first serial of a session has no delta (RFC 8182 §3.3.2).
    const deltas = [...this.state.deltas];
    if (this.state.snapshot) {
      const parts: string[] = [`<delta xmlns="${NS}" version="1" session_id="${this.state.sessionId}" serial="${serial}">\n`];
      for (const c of changed) {
        const hashAttr = c.old ? ` hash="${c.old}"` : '';
        parts.push(`<publish uri="${this.opts.rsyncBase}${c.path}"${hashAttr}>${Buffer.from(files.get(c.path)!).toString('base64')}</publish>\n`);
      }
      for (const p of withdrawn) parts.push(`<withdraw uri="${this.opts.rsyncBase}${p}" hash="${prev[p]}"/>\n`);
      parts.push('</delta>\n');
      const xml = parts.join('');
      const path = `${dir}/delta-${salt}.xml`;
      writeAtomic(join(this.opts.rrdpDir, path), xml);
      deltas.unshift({ serial, path, hash: sha256hex(xml), size: xml.length });
    }
    const snap = this.writeSnapshot(`${dir}/snapshot-${salt}.xml`, serial, files);

    // keep deltas while they are fewer than maxDeltas and smaller in total than the snapshot
    const keep: DeltaRecord[] = [];
    let total = 0;
    for (const d of deltas) {
      if (keep.length >= (this.opts.maxDeltas ?? 100) || total + d.size > snap.size) break;
      keep.push(d);
      total += d.size;
    }
    const oldSnapshot = this.state.snapshot;
    this.state = { ...this.state, serial, snapshot: snap, deltas: keep, objects: next };
    this.writeNotification();
    writeAtomic(this.stateFile, JSON.stringify(this.state), 0o600);

    // files no longer referenced by the notification file go, after a grace period of one publication
    const live = new Set([snap.path, ...keep.map((d) => d.path), oldSnapshot?.path].filter(Boolean) as string[]);
    this.pruneRrdp(live);
    return { serial, changed: changed.length + withdrawn.length };
  }

  private writeSnapshot(path: string, serial: number, files: ReadonlyMap<string, Uint8Array>): { path: string; hash: string; size: number } {
    const full = join(this.opts.rrdpDir, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
    const tmp = `${full}.tmp`;
    const fd = openSync(tmp, 'w', 0o644);
    const hash = createHash('sha256');
    let size = 0;
    let buf: string[] = [];
    let bufLen = 0;
    const flush = () => {
      const chunk = buf.join('');
      hash.update(chunk);
      writeSync(fd, chunk);
      size += Buffer.byteLength(chunk);
      buf = [];
      bufLen = 0;
    };
    const push = (s: string) => {
      buf.push(s);
      bufLen += s.length;
      if (bufLen > 1 << 20) flush();
    };
    push(`<snapshot xmlns="${NS}" version="1" session_id="${this.state.sessionId}" serial="${serial}">\n`);
    for (const [p, der] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      push(`<publish uri="${this.opts.rsyncBase}${p}">${Buffer.from(der).toString('base64')}</publish>\n`);
    }
    push('</snapshot>\n');
    flush();
    closeSync(fd);
    renameSync(tmp, full);
    return { path, hash: hash.digest('hex'), size };
  }

  private writeNotification(): void {
    const base = this.opts.rrdpBaseUrl ?? '';
    const s = this.state;
    const lines = [
      `<notification xmlns="${NS}" version="1" session_id="${s.sessionId}" serial="${s.serial}">`,
      `  <snapshot uri="${base}${s.snapshot!.path}" hash="${s.snapshot!.hash}"/>`,
      ...s.deltas.map((d) => `  <delta serial="${d.serial}" uri="${base}${d.path}" hash="${d.hash}"/>`),
      '</notification>',
      '',
    ];
    writeAtomic(join(this.opts.rrdpDir, 'notification.xml'), lines.join('\n'));
  }

  private pruneRrdp(live: Set<string>): void {
    const root = this.opts.rrdpDir;
    for (const session of readdirSync(root)) {
      const sdir = join(root, session);
      if (!statSync(sdir).isDirectory()) continue;
      for (const serial of readdirSync(sdir)) {
        const d = join(sdir, serial);
        const files = readdirSync(d);
        const keepAny = files.some((f) => live.has(`${session}/${serial}/${f}`));
        if (!keepAny) rmSync(d, { recursive: true, force: true });
        else for (const f of files) if (!live.has(`${session}/${serial}/${f}`)) rmSync(join(d, f), { force: true });
      }
      if (!readdirSync(sdir).length) rmSync(sdir, { recursive: true, force: true });
    }
  }

  private removeEmptyDirs(dir: string): boolean {
    let empty = true;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (this.removeEmptyDirs(p)) rmSync(p, { recursive: true, force: true });
        else empty = false;
      } else empty = false;
    }
    return empty;
  }

  private scanRepo(): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string, rel: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
        else if (!name.startsWith('.tmp-')) out[`${rel}${name}`] = sha256hex(readFileSync(p));
      }
    };
    if (existsSync(this.opts.repoDir)) walk(this.opts.repoDir, '');
    return out;
  }
}
