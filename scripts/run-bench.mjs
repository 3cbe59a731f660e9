#!/usr/bin/env node
// npm run bench -- <name> [args…]: runs bench/<name>/run.ts through tsx.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const [name, ...args] = process.argv.slice(2);
const available = readdirSync('bench', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
if (!name || !existsSync(`bench/${name}/run.ts`)) {
  console.error(`usage: npm run bench -- <name>; benchmarks: ${available.join(', ')}`);
  process.exit(2);
}
// Same young generation as `npm start`, so in-process servers are measured as they run in production, unless
// NODE_OPTIONS chooses one (command-line flags would override it).
const semi = /semi-space/.test(process.env.NODE_OPTIONS ?? '') ? [] : ['--max-semi-space-size=64'];
const r = spawnSync(process.execPath, [...semi, '--import', 'tsx', `bench/${name}/run.ts`, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
