// Interop with BIRD 2 as an RTR client: `birdc show route table r4/r6` lists exactly the served VRPs,
// and after a change BIRD receives the diff through Serial Notify + Serial Query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startRtrService } from '../../src/rtr/index.js';
import { hasBinary, makeVrps, tmpDir, vrpSetOf, waitFor, writeVrpJson } from './helpers.js';

const run = promisify(execFile);
const skip = hasBinary('bird') && hasBinary('birdc') ? false : 'bird2 not installed (bird, birdc)';

function birdConf(port: number): string {
  return `log stderr all;
router id 192.0.2.254;
roa4 table r4;
roa6 table r6;
protocol device { }
protocol rpki rtr1 {
  debug all;
  roa4 { table r4; };
  roa6 { table r6; };
  remote 127.0.0.1 port ${port};
  retry keep 5;
  refresh keep 30;
  expire keep 600;
}
`;
}

async function birdc(sock: string, ...cmd: string[]): Promise<string> {
  const { stdout } = await run('birdc', ['-s', sock, ...cmd], { maxBuffer: 64 * 1024 * 1024, timeout: 20_000 });
  return stdout;
}

/** "192.0.2.0/24-24 AS64496 [rtr1 12:00:00.000] * (100)" -> "192.0.2.0/24 24 64496" */
async function birdVrps(sock: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const table of ['r4', 'r6']) {
    for (const line of (await birdc(sock, 'show', 'route', 'table', table)).split('\n')) {
      const m = /^(\S+)-(\d+)\s+AS(\d+)/.exec(line);
      if (m) out.add(`${m[1]} ${m[2]} ${m[3]}`);
    }
  }
  return out;
}

async function birdSerial(sock: string): Promise<number | undefined> {
  const m = /Serial number:\s+(\d+)/.exec(await birdc(sock, 'show', 'protocols', 'all', 'rtr1'));
  return m ? Number(m[1]) : undefined;
}

test('BIRD 2 loads exactly the served VRPs and follows an update via Serial Notify', { skip }, async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'vrps.json');
  const before = makeVrps(2000, 21);
  writeVrpJson(file, before);
  const svc = await startRtrService({ vrpJsonPath: file, pollMs: 200 });
  const conf = path.join(dir, 'bird.conf');
  const sock = path.join(dir, 'bird.ctl');
  fs.writeFileSync(conf, birdConf(svc.port));
  let bird: ChildProcess | undefined;
  const log: string[] = [];
  try {
    bird = spawn('bird', ['-f', '-c', conf, '-s', sock, '-P', path.join(dir, 'bird.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    bird.stderr!.on('data', (c) => log.push(String(c)));
    await waitFor(() => fs.existsSync(sock), 10_000, 'bird control socket');
    await waitFor(async () => (await birdSerial(sock)) === svc.serial(), 20_000, 'BIRD in sync');
    const proto = await birdc(sock, 'show', 'protocols', 'all', 'rtr1');
    assert.match(proto, /Established/);
    assert.match(proto, /Protocol version:\s+1/);
    assert.deepEqual(await birdVrps(sock), vrpSetOf(before));

    const oldSerial = svc.serial();
    const after = [...before.slice(150), ...makeVrps(60, 4242)];
    writeVrpJson(file, after);
    await waitFor(() => svc.serial() !== oldSerial, 10_000, 'new serial');
    await waitFor(async () => (await birdSerial(sock)) === svc.serial(), 20_000, 'BIRD at the new serial');
    assert.deepEqual(await birdVrps(sock), vrpSetOf(after));
    // BIRD asked with a Serial Query (incremental), it did not reset
    const all = log.join('');
    assert.doesNotMatch(all, /Cache Reset/i);
    assert.match(all, /Serial Notify/i, 'BIRD logged the Serial Notify');
    assert.match(all, /Serial Query/i, 'BIRD answered with a Serial Query');

    const valid = await birdc(sock, 'eval', `roa_check(r4, ${after.find((v) => !v.prefix.includes(':'))!.prefix}, ${after.find((v) => !v.prefix.includes(':'))!.asn})`);
    assert.match(valid, /\)1\b|valid/i);
  } catch (e) {
    console.error(log.join('').slice(-3000));
    throw e;
  } finally {
    bird?.kill('SIGTERM');
    if (bird && bird.exitCode === null) await new Promise((r) => bird!.once('exit', r));
    await svc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
