// Interop with rtrdump (the StayRTR client from Debian's stayrtr package): the set it receives equals
// the source set after a full sync, and its Serial Query after an add and a withdraw gets exactly the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startRtrService } from '../../src/rtr/index.js';
import { hasBinary, makeVrps, tmpDir, vrpSetOf, waitFor, writeVrpJson } from './helpers.js';

const run = promisify(execFile);
const skip = hasBinary('rtrdump') ? false : 'rtrdump not installed (Debian package stayrtr)';

async function rtrdump(dir: string, port: number, version: number, serial?: { session: number; value: number }) {
  const out = path.join(dir, `dump-${version}-${Date.now()}.json`);
  const args = ['-connect', `127.0.0.1:${port}`, '-rtr.version', String(version), '-file', out];
  if (serial) args.push('-serial', '-session.id', String(serial.session), '-serial.value', String(serial.value));
  await run('rtrdump', args, { cwd: dir, timeout: 20_000 });
  const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { roas: { prefix: string; maxLength: number; asn: number }[] };
  return vrpSetOf(doc.roas);
}

const symDiff = (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => !b.has(x)).concat([...b].filter((x) => !a.has(x))));

for (const version of [0, 1]) {
  test(`rtrdump v${version}: full sync and Serial Query after add + withdraw`, { skip }, async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'vrps.json');
    const before = makeVrps(3000, 11 + version);
    writeVrpJson(file, before);
    const svc = await startRtrService({ vrpJsonPath: file, pollMs: 200 });
    try {
      const full = await rtrdump(dir, svc.port, version);
      assert.equal(full.size, before.length);
      assert.deepEqual(full, vrpSetOf(before));

      const session = svc.sessionId();
      const oldSerial = svc.serial();
      const added = makeVrps(40, 1000 + version);
      const after = [...before.slice(0, 2900), ...added];
      writeVrpJson(file, after);
      await waitFor(() => svc.serial() !== oldSerial, 10_000, 'new serial');

      // rtrdump lists the diff's records (withdrawals and announcements) without flags
      const diff = await rtrdump(dir, svc.port, version, { session, value: oldSerial });
      const expected = symDiff(vrpSetOf(before), vrpSetOf(after));
      assert.equal(diff.size, 100 + 40);
      assert.deepEqual(diff, expected);
      assert.deepEqual(symDiff(full, diff), vrpSetOf(after), 'old set + diff = new set');

      assert.deepEqual(await rtrdump(dir, svc.port, version), vrpSetOf(after), 'full sync after the update');
    } finally {
      await svc.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
