/**
 * rpki-client (-R, rsync only) and FORT (rsync) validate numreg's repository through its TAL, served by the
 * real rsync daemon: zero problems, VRPs equal to the ROAs — initially, after a transfer, after a return
 * and across both phases of a key rollover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startRpkiService, type RpkiService } from '../../src/rpki/index.js';
import { HAVE, expectedVrps, publicTempDir, runFort, runRpkiClient } from './peers.js';
import { NIR_RESOURCES, STAGES, expectedFor, input } from './scenario.js';

const skip = !HAVE.rsync ? 'rsync not installed' : !HAVE.rpkiClient && !HAVE.fort ? 'neither rpki-client nor fort installed' : false;

test('relying parties over rsync: initial, transfer, return, key rollover', { skip, timeout: 85_000 }, async (t) => {
  const base = publicTempDir('numreg-rpki-rsync-');
  const dataDir = join(base, 'data');
  let service: RpkiService | undefined;
  t.after(async () => {
    await service?.close();
    rmSync(base, { recursive: true, force: true });
  });
  service = await startRpkiService({ dataDir, host: '127.0.0.1', rsyncPort: 0, taResources: NIR_RESOURCES });
  assert.ok(service.rsyncPort, 'rsync daemon running');

  const validate = async (label: string, expected: string[]) => {
    assert.deepEqual(expectedVrps(service!.vrps()), expected, `${label}: the CA's own VRPs`);
    if (HAVE.rpkiClient) {
      const rc = await runRpkiClient({ tal: service!.talFile, base, rsyncOnly: true });
      assert.deepEqual(rc.problems, [], `${label}: rpki-client problems\n${rc.output}`);
      assert.deepEqual(rc.vrps, expected, `${label}: rpki-client VRPs`);
    } else t.diagnostic('rpki-client not installed: skipped');
    if (HAVE.fort) {
      const fort = await runFort({ tal: service!.talFile, base, mode: 'rsync' });
      assert.deepEqual(fort.problems, [], `${label}: FORT problems\n${fort.output}`);
      assert.deepEqual(fort.vrps, expected, `${label}: FORT VRPs`);
    } else t.diagnostic('fort not installed: skipped');
  };

  const r0 = await service.sync(input(0));
  assert.deepEqual(r0.skipped.map((s) => s.item), ['ROA 198.51.100.0/24 64496 (LIR-A)', 'ROA 198.51.100.0/25 64498 (LIR-C)']);
  await validate(STAGES[0]!.name, expectedFor(0));

  const r1 = await service.sync(input(1));
  assert.equal(r1.withdrawn.filter((f) => f.endsWith('.roa')).length, 2, 'both LIR-B ROAs for the transferred /25 withdrawn');
  await validate(STAGES[1]!.name, expectedFor(1));

  const r2 = await service.sync(input(2));
  assert.equal(r2.withdrawn.filter((f) => f.endsWith('.roa')).length, 1, 'the IPv6 ROA withdrawn');
  await validate(STAGES[2]!.name, expectedFor(2));

  const before = service.holders().find((h) => h.handle === 'LIR-A')!.keyId;
  await service.startRollover('LIR-A');
  assert.equal(service.holders().find((h) => h.handle === 'LIR-A')!.rollover, true);
  await validate('rollover staged (old and new key both published)', expectedFor(2));
  await service.finishRollover('LIR-A');
  const after = service.holders().find((h) => h.handle === 'LIR-A')!;
  assert.notEqual(after.keyId, before);
  assert.equal(after.rollover, false);
  await validate('rollover finished (objects re-issued under the new key)', expectedFor(2));
});
