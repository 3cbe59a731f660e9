/**
 * ASPA objects through the relying parties. Debian 12's rpki-client 8.2 reads the earlier ASPA draft
 * (version 0), so the CA issues that encoding here (aspaProfile 'v0'); the VAPs rpki-client outputs must equal
 * the ASPAs, with zero problems. FORT 1.5.4 has no ASPA support: it must still validate the repository
 * (ROAs) with zero problems while .asa files are present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceSet } from '../../src/core/resource-set.js';
import { startRpkiService, type RpkiService } from '../../src/rpki/index.js';
import { HAVE, publicTempDir, runFort, runRpkiClient } from './peers.js';

const skip = !HAVE.rsync ? 'rsync not installed' : !HAVE.rpkiClient ? 'rpki-client not installed' : false;

test('ASPA (draft v0 encoding) validated by rpki-client 8.x over rsync; FORT unaffected', { skip, timeout: 85_000 }, async (t) => {
  const base = publicTempDir('numreg-rpki-aspa-');
  let service: RpkiService | undefined;
  t.after(async () => {
    await service?.close();
    rmSync(base, { recursive: true, force: true });
  });
  service = await startRpkiService({ dataDir: join(base, 'data'), rsyncPort: 0, aspaProfile: 'v0' });
  await service.sync({
    holders: [
      { handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, AS64496') },
      { handle: 'LIR-B', resources: ResourceSet.parse('AS64497 - AS64499') },
    ],
    roas: [{ holderHandle: 'LIR-A', prefix: '192.0.2.0/24', asn: 64496 }],
    aspas: [
      { holderHandle: 'LIR-A', customerAsn: 'AS64496', providers: [64511, 64500] },
      { holderHandle: 'LIR-B', customerAsn: 64498, providers: [64496] },
      { holderHandle: 'LIR-B', customerAsn: 64496, providers: [1] }, // not B's AS: refused
    ],
  });
  const rc = await runRpkiClient({ tal: service.talFile, base, rsyncOnly: true });
  assert.deepEqual(rc.problems, [], rc.output);
  assert.deepEqual(rc.vrps, ['AS64496 192.0.2.0/24 24']);
  const json = JSON.parse(readFileSync(join(base, 'rc-out', 'json'), 'utf8')) as {
    provider_authorizations: { ipv4: { customer_asid: number; providers: number[] }[] };
  };
  const vaps = json.provider_authorizations.ipv4.map((a) => `AS${a.customer_asid} → ${a.providers.join(',')}`).sort();
  assert.deepEqual(vaps, ['AS64496 → 64500,64511', 'AS64498 → 64496']);
  assert.deepEqual(service.holders().length, 2);
  if (HAVE.fort) {
    const fort = await runFort({ tal: service.talFile, base, mode: 'rsync' });
    assert.deepEqual(fort.problems, [], fort.output);
    assert.deepEqual(fort.vrps, ['AS64496 192.0.2.0/24 24']);
  }
});
