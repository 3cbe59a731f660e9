#!/usr/bin/env node
// Runs every test/**/*.test.ts file with node's own test runner (through tsx).
// Usage: npm test [-- <substring filter on the file path>...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const filters = process.argv.slice(2);
const files = findTests('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const backend = process.env.DATABASE_URL ? `PostgreSQL (${process.env.DATABASE_URL.replace(/\/\/[^@]*@/, '//')})` : 'embedded PGlite';
console.log(`numreg tests: ${files.length} files, database backend: ${backend}`);
const concurrency = process.env.NUMREG_TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
// Interop tests skip when an outside client is missing; in CI (CI=true) everything is installed, so a
// skip for that reason is a failure of the set-up, not a pass.
const missingPeer = [];
let pending = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) if (/^\s*﹣ .*# .*not installed/i.test(line)) missingPeer.push(line.trim());
});
child.on('close', (code) => {
  if (pending && /^\s*﹣ .*# .*not installed/i.test(pending)) missingPeer.push(pending.trim());
  if (missingPeer.length > 0) {
    console.log(`\nrun-tests: ${missingPeer.length} interop test(s) skipped because an outside client is missing:`);
    for (const line of [...new Set(missingPeer)].slice(0, 20)) console.log(`  ${line}`);
    if (process.env.CI === 'true') {
      console.log('run-tests: CI=true, so a missing peer fails the run (bash ../shared/peers/install.sh installs them)');
      process.exit(1);
    }
  }
  process.exit(code ?? 1);
});
