import net from 'node:net';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { buildFixture, type Fixture } from './fixtures.js';
import { startWhoisService, type WhoisService, type WhoisServiceOptions } from '../../src/whois/index.js';

export const WHOIS_BIN = ['/usr/bin/whois', '/bin/whois'].find((p) => existsSync(p));
export const whoisSkip = WHOIS_BIN ? false : 'Debian whois client not installed (apt-get install whois)';

export interface Harness {
  t: TestDb;
  f: Fixture;
  s: WhoisService;
  port: number;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<WhoisServiceOptions> = {}): Promise<Harness> {
  const t = await createTestDb();
  const f = await buildFixture(t.db);
  const s = await startWhoisService({ db: t.db, registry: f.registry, host: '127.0.0.1', port: 0, pollMs: 0, ...options });
  return {
    t, f, s, port: s.port,
    async close() {
      await s.close();
      await t.close();
    },
  };
}

/** Sends raw bytes, half-closes only if asked, and reads until the server closes (or `timeoutMs`). */
export function rawQuery(port: number, data: string | Buffer, options: { halfClose?: boolean; timeoutMs?: number } = {}): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closedByServer: false });
    }, options.timeoutMs ?? 10_000);
    socket.on('connect', () => {
      socket.write(data);
      if (options.halfClose) socket.end();
    });
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e) => {
      if (!done) {
        clearTimeout(timer);
        reject(e);
      }
    });
    socket.on('close', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closedByServer: true });
    });
  });
}

/** Runs the real Debian whois client against the server. */
export function whois(port: number, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(WHOIS_BIN!, ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? Number((error as { code?: number }).code ?? 1) : 0 });
    });
  });
}

/** Objects (blocks of attribute lines) in an RPSL answer, as [class, key] pairs. */
export function objectKeys(text: string): [string, string][] {
  return text.split(/\n\s*\n/).map((b) => b.split('\n').filter((l) => l && !l.startsWith('%'))).filter((ls) => ls.length > 0 && /^[a-z0-9-]+:/.test(ls[0]!))
    .map((ls) => {
      const m = /^([a-z0-9-]+):\s*(.*)$/.exec(ls[0]!)!;
      return [m[1]!, m[2]!];
    });
}
