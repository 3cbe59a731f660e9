import { Readable } from 'node:stream';
import { connect } from 'node:net';
import type { Db } from '../../src/db/database.js';
import { importRpsl } from '../../src/irr/import.js';

export async function loadRpsl(db: Db, text: string, source?: string) {
  return importRpsl(db, Readable.from([text]), { source });
}

/** Sends raw bytes and collects everything until the server closes (or `until` matches). */
export function rawQuery(port: number, payload: string, until?: (s: string) => boolean, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); until ? resolve(data) : reject(new Error(`timeout; got ${JSON.stringify(data)}`)); }, timeoutMs);
    sock.on('connect', () => sock.write(payload));
    sock.on('data', (d) => {
      data += d.toString('utf8');
      if (until?.(data)) { clearTimeout(timer); sock.destroy(); resolve(data); }
    });
    sock.on('end', () => { clearTimeout(timer); resolve(data); });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

const obj = (lines: string[]) => lines.join('\n') + '\n';

/** Test IRR: documentation ASNs and prefixes; AS-LOOP closes a loop back to AS-EXAMPLE. */
export const TEST_IRR = [
  obj(['mntner: TEST-MNT', 'admin-c: PERSON-TEST', 'upd-to: irr@example.net', 'auth: BCRYPT-PW $2b$04$MGuIW8JrH.rO9.7bDgsOHOfYvXThsejz3I94pEJcBtcKkbSJ3Gvku', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route: 192.0.2.0/24', 'origin: AS64496', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route: 198.51.100.0/25', 'origin: AS64496', 'member-of: RS-BYREF', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route: 198.51.100.128/25', 'origin: AS64497', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route: 203.0.113.0/24', 'origin: AS64498', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route: 192.0.2.128/25', 'origin: AS64499', 'descr: RPKI invalid (the ROA says AS64496)', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route6: 2001:db8::/32', 'origin: AS64496', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route6: 2001:db8:1000::/36', 'origin: AS64497', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['as-set: AS-EXAMPLE', 'members: AS64496, AS-SUB', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['as-set: AS-SUB', 'members: AS64497', 'members: AS-LOOP', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['as-set: AS-LOOP', 'members: AS64498, AS-EXAMPLE, AS-MISSING, AS64499', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['as-set: AS-SELF', 'members: AS-SELF, AS64497', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route-set: RS-EXAMPLE', 'members: 192.0.2.0/24, RS-OTHER, AS64498', 'mp-members: 2001:DB8::/32^32-33', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route-set: RS-OTHER', 'members: 198.51.100.0/24^24-25', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route-set: RS-BYREF', 'mbrs-by-ref: TEST-MNT', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['aut-num: AS64496', 'as-name: EXAMPLE-AS', 'member-of: AS-BYREF', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['as-set: AS-BYREF', 'members: AS64511', 'mbrs-by-ref: ANY', 'mnt-by: TEST-MNT', 'source: NUMREG']),
  obj(['route: 192.0.2.0/24', 'origin: AS65000', 'mnt-by: OTHER-MNT', 'source: MIRROR']),
].join('\n');

/** ROV for the tests: a ROA 192.0.2.0/24-25 AS64496 makes 192.0.2.128/25 AS64499 invalid. */
export function testRov(prefix: string, origin: bigint): 'valid' | 'invalid' | 'not-found' {
  if (prefix.startsWith('192.0.2.')) return origin === 64496n ? 'valid' : 'invalid';
  return 'not-found';
}
