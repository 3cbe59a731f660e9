// fullGc() collects unreachable objects in a process started without --expose-gc (as `numreg serve` is).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fullGc } from '../../src/runtime/full-gc.js';

test('fullGc frees an object nothing refers to any more', async () => {
  let big: number[] | undefined = new Array(1_000_000).fill(1);
  const ref = new WeakRef(big);
  big = undefined;
  await new Promise((resolve) => setImmediate(resolve)); // a WeakRef holds its target until the current job ends
  fullGc();
  assert.equal(ref.deref(), undefined);
  fullGc(); // a second call reuses the function
});
