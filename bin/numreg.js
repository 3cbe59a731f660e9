#!/usr/bin/env node
// Entry point of the `numreg` command. The sources are TypeScript run through tsx,
// so a fresh clone needs only `npm ci` (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
