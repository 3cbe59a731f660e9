/** The hosted CA feeds the RTR cache: its ROAs appear in the served VRP set and follow changes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceSet } from '../../src/core/resource-set.js';
import { rtrSource, startRpkiService, type RpkiService } from '../../src/rpki/index.js';
import { startRtrService, type RtrService } from '../../src/rtr/index.js';
import { publicTempDir } from './peers.js';

test('rtrSource: the CA’s VRPs are served over RTR and follow re-issues', { timeout: 60_000 }, async (t) => {
  const base = publicTempDir('numreg-rpki-rtr-');
  let rpki: RpkiService | undefined;
  let rtr: RtrService | undefined;
  t.after(async () => {
    await rtr?.close();
    await rpki?.close();
    rmSync(base, { recursive: true, force: true });
  });
  rpki = await startRpkiService({ dataDir: join(base, 'data'), rsync: false });
  const holders = [{ handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, 2001:db8::/32, AS64496') }];
  await rpki.sync({ holders, roas: [{ holderHandle: 'LIR-A', prefix: '192.0.2.0/24', asn: 64496 }] });
  rtr = await startRtrService({ host: '127.0.0.1', port: 0, extraSources: [rtrSource(rpki)] });
  const served = () => rtr!.vrps().map((v) => `AS${v.asn} ${v.prefix}-${v.maxLength}`).sort();
  assert.deepEqual(served(), ['AS64496 192.0.2.0/24-24']);
  const serial = rtr.serial();
  await rpki.sync({ holders, roas: [{ holderHandle: 'LIR-A', prefix: '2001:db8::/32', maxLength: 48, asn: 64496 }] });
  for (let i = 0; i < 50 && rtr.serial() === serial; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(served(), ['AS64496 2001:db8::/32-48']);
  assert.ok(rtr.serial() > serial, 'a new RTR serial after the CA changed');
});
