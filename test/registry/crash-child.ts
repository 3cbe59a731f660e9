/**
 * Child process of the crash test: performs up to N registry mutations and prints "ACK <op> <id> <version>"
 * after each COMMIT. The parent kills it with SIGKILL at a random moment.
 * Env: CRASH_DB_URL (PostgreSQL) or CRASH_DATA_DIR (PGlite), CRASH_MUTATIONS.
 */
import { writeSync } from 'node:fs';
import { openDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { Registry } from '../../src/registry/registry.js';
import type { Actor } from '../../src/registry/actor.js';
import { organisationByHandle } from '../../src/registry/organisations.js';
import { buildFixture } from '../helpers/registry-fixture.js';

const db = await openDatabase(process.env.CRASH_DB_URL ? { url: process.env.CRASH_DB_URL, poolSize: 2 } : { dataDir: process.env.CRASH_DATA_DIR! });
await migrate(db);
let lirA: Actor;
if (!(await organisationByHandle(db, 'ORG-EXNET-JP'))) {
  lirA = (await buildFixture(db)).lirA;
} else {
  lirA = { kind: 'member', orgId: (await organisationByHandle(db, 'ORG-EXNET-JP'))!.id, via: 'user:exnet' };
}
const registry = new Registry(db);
const say = (line: string) => writeSync(1, `${line}\n`);
say('READY');
const live: string[] = [];
let seed = Number(process.env.CRASH_SEED ?? 1);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const total = Number(process.env.CRASH_MUTATIONS ?? 10000);
for (let i = 0; i < total; i++) {
  const r = random();
  if (live.length > 0 && r < 0.2) {
    const id = live[Math.floor(random() * live.length)]!;
    const { value } = await registry.modify(id, { description: `rev ${i}` }, lirA, `edit ${i}`);
    say(`ACK modify ${id} ${value.version}`);
  } else if (live.length > 0 && r < 0.3) {
    const id = live.splice(Math.floor(random() * live.length), 1)[0]!;
    await registry.returnDelegation(id, lirA, `return ${i}`);
    say(`ACK return ${id} 0`);
  } else {
    // 203.0.0.0/16 holds 65,536 /32 assignments: address i is unique per mutation.
    const { value } = await registry.delegate({ range: { family: 'ipv4', start: 0xcb000000n + BigInt(i), end: 0xcb000000n + BigInt(i) }, holderHandle: 'ORG-EXNET-JP', status: 'assigned', netName: `CRASH-${i}` }, lirA);
    live.push(value.id);
    say(`ACK create ${value.id} 1`);
  }
}
say('DONE');
await db.close();
