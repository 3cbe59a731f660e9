/**
 * Parser fuzzing with fast-check: 100,000+ generated inputs. Properties: parse/validate never throws, every
 * error carries a message and (when it names a line) a line number inside the input, and every accepted
 * object survives format -> parse with the same key and values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseObject, type ValidationResult } from '../../src/irr/validate.js';
import { formatObject } from '../../src/irr/format.js';
import { irrdSamples } from './fixtures.js';

const samples = [...irrdSamples().values()];

function check(text: string): ValidationResult {
  const r = parseObject(text);
  const lines = text.replace(/\r\n/g, '\n').replace(/^\n+|\n+$/g, '').split('\n').length;
  for (const e of r.errors) {
    assert.ok(e.message.length > 0);
    if (e.line !== undefined) assert.ok(e.line >= 1 && e.line <= lines, `line ${e.line} of ${lines}: ${e.message}`);
  }
  if (r.object) {
    assert.equal(r.errors.length, 0);
    const again = parseObject(formatObject(r.object));
    assert.deepEqual(again.errors, [], formatObject(r.object));
    assert.equal(again.object!.pkey, r.object.pkey);
  }
  return r;
}

const names = ['route', 'route6', 'origin', 'mnt-by', 'source', 'members', 'as-set', 'route-set', 'aut-num', 'as-name', 'descr', 'changed', 'auth', 'mntner', 'upd-to', 'admin-c', 'Route', 'MEMBERS', 'x', '$$', '*xx'];
const values = [
  '192.0.2.0/24', '2001:db8::/32', 'AS64496', 'as065537', 'AS1.10', 'AS-FOO', 'AS64496:AS-BAR', 'RS-X^+', '10.0.0.0/8^16-24',
  'TEST-MNT', 'NUMREG', '+bad$', 'a@b.example 20240101', 'BCRYPT-PW $2b$12$abc', '# comment', '', '  ', 'AS4294967296',
  '192.0.02.0/24', '1.2.3.4/33', '::/0', 'ANY', 'AS-ANY', 'x,y,,z',
];
const lineArb = fc.oneof(
  fc.tuple(fc.constantFrom(...names), fc.constantFrom(':', ': ', ':\t', ' : ', ''), fc.constantFrom(...values)).map(([n, c, v]) => n + c + v),
  fc.tuple(fc.constantFrom(' ', '\t', '+', '+ '), fc.constantFrom(...values)).map(([c, v]) => c + v),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', '\r', '%', '#x'),
);

test('fuzz: 40,000 objects assembled from RPSL-like lines', () => {
  fc.assert(fc.property(fc.array(lineArb, { minLength: 1, maxLength: 12 }), (ls) => { check(ls.join('\n')); }), { numRuns: 40_000 });
});

test('fuzz: 40,000 mutations of the IRRd fixtures (delete/duplicate/replace lines, flip case, insert bytes)', () => {
  const mutation = fc.tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), fc.nat(4), lineArb, fc.nat()), { minLength: 1, maxLength: 4 }));
  fc.assert(
    fc.property(mutation, ([sample, muts]) => {
      const ls = sample.split('\n').slice(0, 60);
      for (const [pos, kind, line, n] of muts) {
        const i = pos % ls.length;
        if (kind === 0) ls.splice(i, 1);
        else if (kind === 1) ls.splice(i, 0, ls[i]);
        else if (kind === 2) ls[i] = line;
        else if (kind === 3) ls[i] = ls[i].toUpperCase();
        else ls[i] = ls[i].slice(0, n % (ls[i].length + 1)) + line + ls[i].slice(n % (ls[i].length + 1));
      }
      if (ls.length) check(ls.join('\n'));
    }),
    { numRuns: 40_000 },
  );
});

test('fuzz: 25,000 arbitrary unicode strings', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => { check(s); }), { numRuns: 25_000 });
});

test('precise errors: a bad value in a generated route names its line and attribute', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3 }), fc.constantFrom('1.2.3.4/33', '9$', 'bad mnt!', '+X$'), (pos, bad) => {
      const attrs = [['route', '192.0.2.0/24'], ['origin', 'AS64496'], ['mnt-by', 'A-MNT'], ['source', 'NUMREG']];
      attrs[pos] = [attrs[pos][0], bad];
      const r = check(attrs.map(([n, v]) => `${n}: ${v}`).join('\n'));
      assert.equal(r.object, undefined);
      assert.equal(r.errors[0].line, pos + 1);
      assert.equal(r.errors[0].attribute, attrs[pos][0]);
    }),
    { numRuns: 2_000 },
  );
});
