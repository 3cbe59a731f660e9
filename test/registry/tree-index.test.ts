/**
 * The B-tree look-ups of registry/lookup.ts (one probe plus a walk up parent_id) and the sibling trigger of
 * migration 060, checked against brute force over a random delegation tree written straight into the table.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NumberRange } from '../../src/core/index.js';
import { copyLine } from '../../src/db/copy-text.js';
import { pgErrorCode, PG_EXCLUSION_VIOLATION } from '../../src/db/database.js';
import { lessSpecifics, longestMatch, moreSpecifics, overlapping } from '../../src/registry/lookup.js';
import { createTestDb, backendName, type TestDb } from '../helpers/db.js';

interface Node { id: number; parent: number | null; start: bigint; end: bigint }

let t: TestDb;
const nodes: Node[] = [];

/** A random tree in [0, 2^32): children split their parent into random disjoint pieces, some nested at the same start. */
function buildTree(seed: number): Node[] {
  let state = seed;
  const rnd = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const out: Node[] = [];
  const grow = (parent: number | null, start: bigint, end: bigint, depth: number) => {
    const id = out.length + 1;
    out.push({ id, parent, start, end });
    if (depth === 4) return;
    const size = end - start + 1n;
    let cursor = start;
    const pieces = 1 + rnd(6);
    for (let i = 0; i < pieces && cursor <= end; i += 1) {
      const gap = rnd(3) === 0 ? 0n : (size / 16n) * BigInt(rnd(2));
      const childStart = cursor + gap;
      const childEnd = childStart + (size / 8n) * BigInt(1 + rnd(2)) - 1n;
      if (childEnd > end || childStart > childEnd) break;
      grow(id, childStart, childEnd, depth + 1);
      cursor = childEnd + 1n;
    }
  };
  for (let top = 0n; top < 16n; top += 2n) grow(null, top << 28n, ((top + 1n) << 28n) - 1n, 0);
  return out;
}

before(async () => {
  t = await createTestDb();
  await t.db.query(`INSERT INTO organisation (handle, name, role) VALUES ('ORG-TREE', 'Tree', 'lir')`);
  const holder = (await t.db.query<{ id: string }>(`SELECT id::text AS id FROM organisation WHERE handle = 'ORG-TREE'`)).rows[0]!.id;
  nodes.push(...buildTree(7));
  await t.db.copyFrom(
    'COPY delegation (id, family, rng, parent_id, holder_id, status, registry) FROM STDIN',
    nodes.map((n) => copyLine([n.id, 'ipv4', `[${n.start},${n.end}]`, n.parent, holder, 'allocated', 'jpnic'])),
  );
  await t.db.query(`SELECT setval(pg_get_serial_sequence('delegation', 'id'), $1)`, [nodes.length]);
});
after(() => t.close());

const containing = (r: NumberRange) => nodes.filter((n) => n.start <= r.start && n.end >= r.end);
const key = (n: { start: bigint; end: bigint }) => `${n.start}-${n.end}`;
const keys = (list: Array<{ start: bigint; end: bigint }>) => list.map(key).sort();
const asRange = (d: { range: NumberRange }) => d.range;
const arbRange = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: 1n << 24n }))
  .map(([start, span]) => ({ family: 'ipv4' as const, start, end: start + span > (1n << 32n) - 1n ? (1n << 32n) - 1n : start + span }));

test(`[${backendName}] tree look-ups equal brute force over ${'a random tree'}`, async () => {
  assert.ok(nodes.length > 200, `tree has ${nodes.length} nodes`);
  // Ranges taken from the tree itself hit the tie cases (nested delegations sharing a start).
  const fromTree = fc.constantFrom(...nodes).map((n) => ({ family: 'ipv4' as const, start: n.start, end: n.end }));
  await fc.assert(fc.asyncProperty(fc.oneof(arbRange, fromTree), async (range) => {
    const want = containing(range);
    const deepest = want.sort((a, b) => Number((a.end - a.start) - (b.end - b.start)))[0];
    const got = await longestMatch(t.db, range);
    assert.equal(got ? key(asRange(got)) : undefined, deepest ? key(deepest) : undefined);
    assert.deepEqual(keys((await lessSpecifics(t.db, range, true)).map(asRange)), keys(want));
    const inside = nodes.filter((n) => n.start >= range.start && n.end <= range.end && !(n.start === range.start && n.end === range.end));
    assert.deepEqual(keys((await moreSpecifics(t.db, range)).map(asRange)), keys(inside));
    const overlaps = nodes.filter((n) => n.start <= range.end && n.end >= range.start);
    assert.deepEqual(keys((await overlapping(t.db, range)).map(asRange)), keys(overlaps));
  }), { numRuns: 150 });
});

async function expectOverlapRejected(work: Promise<unknown>) {
  await assert.rejects(work, (error: unknown) => {
    assert.equal(pgErrorCode(error), PG_EXCLUSION_VIOLATION, String(error));
    assert.match(String(error), /overlaps its sibling/);
    return true;
  });
}

test(`[${backendName}] the sibling trigger rejects overlaps from INSERT, UPDATE and COPY, and allows disjoint ones`, async () => {
  const holder = (await t.db.query<{ id: string }>(`SELECT id::text AS id FROM organisation WHERE handle = 'ORG-TREE'`)).rows[0]!.id;
  const top = nodes.find((n) => n.parent === null)!;
  const child = nodes.find((n) => n.parent === top.id)!;
  const insert = (start: bigint, end: bigint, parent: number | null) => t.db.query(
    `INSERT INTO delegation (family, rng, parent_id, holder_id, status, registry) VALUES ('ipv4', numrange($1::numeric, $2::numeric, '[]'), $3, $4, 'assigned', 'jpnic')`,
    [start.toString(), end.toString(), parent, holder]);
  // Starts inside a sibling, starts before and reaches into it, same start, and at the top level.
  await expectOverlapRejected(insert(child.start + 1n, child.start + 1n, top.id));
  await expectOverlapRejected(insert(child.start - 1n, child.start, top.id));
  await expectOverlapRejected(insert(child.start, child.end + 5n, top.id));
  await expectOverlapRejected(insert(top.end, top.end + 10n, null));
  // Growing an existing delegation over its neighbour.
  const siblings = nodes.filter((n) => n.parent === top.id).sort((a, b) => Number(a.start - b.start));
  if (siblings.length > 1) {
    await expectOverlapRejected(t.db.query(`UPDATE delegation SET rng = numrange(lower(rng), $2::numeric, '[]') WHERE id = $1`, [siblings[0]!.id, siblings[1]!.start.toString()]));
  }
  // Two new rows of one COPY that overlap each other (neither overlaps an old row).
  const free = (1n << 33n);
  await expectOverlapRejected(t.db.copyFrom('COPY delegation (family, rng, parent_id, holder_id, status, registry) FROM STDIN',
    [copyLine(['ipv4', `[${free},${free + 10n}]`, null, holder, 'allocated', 'jpnic']), copyLine(['ipv4', `[${free + 10n},${free + 20n}]`, null, holder, 'allocated', 'jpnic'])]));
  // Disjoint ones go in, and the rejected statements left nothing behind.
  await insert(free, free + 10n, null);
  await insert(free + 11n, free + 20n, null);
  const { rows } = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM delegation`);
  assert.equal(Number(rows[0]!.n), nodes.length + 2);
});
