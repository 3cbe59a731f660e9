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
// Node's own defaults, as `npm start` runs; NODE_OPTIONS passes through for experiments (young generation etc.).
const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}/run.ts`, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
