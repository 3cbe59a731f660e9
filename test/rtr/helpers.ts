// Shared helpers for the RTR tests: VRP JSON files, raw socket exchanges, waiting.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { decodeVrpKey, vrpKey, type Vrp } from '../../src/rtr/records.js';

export function tmpDir(prefix = 'numreg-rtr-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes rpki-client style JSON atomically (write + rename, as rpki-client does). */
export function writeVrpJson(file: string, vrps: Vrp[], extra: Record<string, unknown> = {}): void {
  const doc = { metadata: { buildtime: new Date().toISOString() }, roas: vrps.map((v) => ({ ...v, ta: 'test' })), ...extra };
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(doc));
  fs.renameSync(tmp, file);
}

export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Sends bytes, collects everything the server sends until it closes (or `ms` passes). */
export function exchange(port: number, bytes: Buffer, ms = 2000): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write(bytes));
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ data: Buffer.concat(chunks), closed: false });
    }, ms);
    s.on('data', (c) => chunks.push(c));
    s.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(chunks), closed: true });
    });
  });
}

export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Deterministic pseudo-random VRPs (IPv4 and IPv6, no special-purpose space so BIRD keeps them all). */
export function makeVrps(n: number, seed = 1): Vrp[] {
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const out = new Map<string, Vrp>();
  while (out.size < n) {
    let v: Vrp;
    if (rnd() % 3 !== 0) {
      const len = 16 + (rnd() % 9);
      const a = (rnd() % 190) + 11; // 11..200: avoids 0/8, 10/8, 127/8 and the 224/3 space
      if (a === 100 || a === 127 || a === 169 || a === 172 || a === 192 || a === 198) continue;
      const addr = ((a << 24) | (rnd() & 0xffffff)) >>> 0;
      const masked = len === 0 ? 0 : (addr & (0xffffffff << (32 - len))) >>> 0;
      const p = `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`;
      v = { prefix: p, maxLength: Math.min(32, len + (rnd() % 3)), asn: 1 + (rnd() % 400000) };
    } else {
      const len = 32 + (rnd() % 17);
      const g1 = (0x2400 + (rnd() % 0x900)).toString(16);
      const g2 = rnd() & 0xffff;
      const g3 = len > 32 ? rnd() & (0xffff << (48 - len)) & 0xffff : 0;
      v = { prefix: `${g1}:${g2.toString(16)}${len > 32 ? `:${g3.toString(16)}` : ''}::/${len}`, maxLength: Math.min(128, len + (rnd() % 5)), asn: 1 + (rnd() % 400000) };
      if (g1 === '2001' && g2 === 0xdb8) continue;
    }
    v = decodeVrpKey(vrpKey(v.prefix, v.maxLength, v.asn, { strictHostBits: true }));
    out.set(`${v.prefix} ${v.maxLength} ${v.asn}`, v);
  }
  return [...out.values()];
}

export function vrpSetOf(vrps: { prefix: string; maxLength: number; asn: number | string }[]): Set<string> {
  return new Set(vrps.map((v) => `${v.prefix} ${v.maxLength} ${String(v.asn).replace(/^AS/, '')}`));
}
