import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDb, backendName, type TestDb } from '../helpers/db.js';

let dataDir: string;
let t: TestDb | undefined;
let env: NodeJS.ProcessEnv;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'numreg-cli-'));
  if (process.env.DATABASE_URL) {
    t = await createTestDb({ migrate: false });
    env = { ...process.env, DATABASE_URL: t.url, NUMREG_DATA_DIR: dataDir };
  } else {
    env = { ...process.env, DATABASE_URL: '', NUMREG_DATA_DIR: dataDir };
  }
});
after(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function numreg(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/numreg.js', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test(`[${backendName}] CLI: demo load, stats, lookup, delegate; bad input is one clear line and changes nothing`, { timeout: 300_000 }, () => {
  const load = numreg('demo', 'load');
  assert.equal(load.status, 0, load.stderr);
  assert.match(load.stdout, /demo registry loaded: 6 organisations/);
  assert.match(numreg('demo', 'load').stdout, /already loaded; nothing changed/);

  const v4 = numreg('stats', 'ipv4-by-rir');
  assert.equal(v4.status, 0, v4.stderr);
  for (const [rir, n] of [['IANA', 35], ['APNIC', 51], ['ARIN', 95], ['LACNIC', 10], ['AFRINIC', 6], ['RIPE NCC', 42], ['other organisations', 17]] as const) {
    assert.match(v4.stdout, new RegExp(`${rir}\\s+${n}\\b`));
  }

  const lookup = numreg('lookup', '202.208.2.77');
  assert.equal(lookup.status, 0, lookup.stderr);
  assert.match(lookup.stdout, /202\.208\.2\.0 - 202\.208\.3\.127\s+assigned\s+ORG-EXNET-JP/);

  const history = () => numreg('history', '1').stdout;
  const before = history();
  const bad: Array<[string[], RegExp, number]> = [
    [['delegate', 'donate', '202.208.40.0/24', '--holder', 'ORG-EXNET-JP'], /unknown operation "donate"/, 2],
    [['delegate', 'assign', '202.208.400.0/24', '--holder', 'ORG-EXNET-JP'], /202\.208\.400\.0/, 1],
    [['delegate', 'allocate', '202.208.40.0/24', '--holder', 'ORG-NOBODY'], /organisation ORG-NOBODY does not exist/, 1],
    [['delegate', 'allocate', '202.208.0.0/20', '--holder', 'ORG-SAMPLE-JP'], /overlaps/, 1],
    [['delegate', 'assign', '202.209.1.0/24', '--holder', 'ORG-EXNET-JP', '--as', 'ORG-EXNET-JP'], /does not hold 202\.209\.0\.0\/20/, 1],
    [['delegate', 'assign', '202.208.40.0/24'], /required option '--holder/, 2],
    [['import', 'iana', '/nonexistent'], /IANA directory \/nonexistent does not exist/, 2],
    [['stats', 'nonsense'], /unknown report "nonsense"/, 2],
    [['db', 'reset'], /run it again with --yes/, 2],
    [['no-such-command'], /unknown command/, 2],
  ];
  for (const [args, message, status] of bad) {
    const r = numreg(...args);
    assert.equal(r.status, status, `${args.join(' ')} → ${r.status}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.ok(!/\n\s+at /.test(r.stderr), `no stack trace for ${args.join(' ')}`);
  }
  const file = join(dataDir, 'bad.json');
  writeFileSync(file, '{"pool": [');
  const wi = numreg('policy', 'what-if', file);
  assert.equal(wi.status, 2);
  assert.match(wi.stderr, /bad\.json is not valid JSON/);
  assert.equal(history(), before, 'no failed command changed anything');

  const ok = numreg('delegate', 'allocate', '202.212.0.0/20', '--holder', 'ORG-SAMPLE-JP', '--reason', 'second allocation');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).resource, '202.212.0.0/20');
});
