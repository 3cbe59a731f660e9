import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, backendName } from '../helpers/db.js';
import { copyField, copyLine } from '../../src/db/copy-text.js';

test(`copyFrom streams rows with awkward text, NULLs and arrays intact (${backendName})`, async () => {
  const t = await createTestDb({ migrate: false });
  try {
    await t.db.exec('CREATE TABLE c (n bigint, t text, a text[], x numeric)');
    const awkward = ['tab\there', 'line\nbreak', 'back\\slash', 'cr\rx', '日本語', '"quoted", {braced}'];
    function* lines() {
      for (let i = 0; i < 120_000; i += 1) {
        yield copyLine([i, awkward[i % awkward.length]!, i % 3 === 0 ? [] : ['a,b', 'c"d', 'e\\f'], i % 5 === 0 ? null : '340282366920938463463374607431768211455']);
      }
    }
    const written = await t.db.copyFrom('COPY c (n, t, a, x) FROM STDIN', lines());
    assert.equal(written, 120_000);
    const { rows } = await t.db.query<{ n: string; t: string; a: string[]; x: string | null }>('SELECT n, t, a, x::text AS x FROM c WHERE n IN (1, 2, 3, 4, 5, 119999) ORDER BY n');
    assert.deepEqual(rows.map((r) => r.t), [awkward[1], awkward[2], awkward[3], awkward[4], awkward[5], awkward[119999 % 6]]);
    assert.deepEqual(rows[0]!.a, ['a,b', 'c"d', 'e\\f']);
    assert.deepEqual(rows[2]!.a, []);
    assert.equal(rows[4]!.x, null);
    assert.equal(rows[0]!.x, '340282366920938463463374607431768211455');
  } finally {
    await t.close();
  }
});

test(`a bad COPY line fails the whole COPY and names the line (${backendName})`, async () => {
  const t = await createTestDb({ migrate: false });
  try {
    await t.db.exec('CREATE TABLE c (n bigint NOT NULL)');
    await assert.rejects(t.db.copyFrom('COPY c (n) FROM STDIN', ['1\n', '2\n', 'not-a-number\n']), /invalid input syntax for type bigint/);
    const { rows } = await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM c');
    assert.equal(rows[0]!.n, '0');
  } finally {
    await t.close();
  }
});

test(`copyTo yields whole lines that decode back to the values, multi-byte text included (${backendName})`, async () => {
  const t = await createTestDb({ migrate: false });
  try {
    await t.db.exec(`CREATE TABLE c (n int, t text)`);
    await t.db.copyFrom('COPY c (n, t) FROM STDIN', Array.from({ length: 50_000 }, (_, i) => copyLine([i, i % 2 ? `日本語\\${i}\t` : null])));
    const seen: Array<[number, string | null]> = [];
    for await (const chunk of t.db.copyTo('COPY (SELECT n, t FROM c ORDER BY n) TO STDOUT')) {
      assert.ok(chunk.endsWith('\n'));
      for (const line of chunk.slice(0, -1).split('\n')) {
        const [n, text] = line.split('\t');
        seen.push([Number(n), copyField(text!)]);
      }
    }
    assert.equal(seen.length, 50_000);
    assert.deepEqual(seen[1], [1, '日本語\\1\t']);
    assert.deepEqual(seen[2], [2, null]);
    assert.deepEqual(seen[49_999], [49_999, '日本語\\49999\t']);
  } finally {
    await t.close();
  }
});
