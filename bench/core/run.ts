// IntervalIndex figures: build, longest-match, less/more-specific look-ups, add/remove on ~1M entries.
// Usage: node --import tsx bench/core/run.ts [entries=1000000] [lookups=1000000]
import { IntervalIndex, type IndexEntry, type NumberRange } from '../../src/core/index.js';
import { mulberry32 } from '../../src/core/prng.js';

const N = Number(process.argv[2] ?? 1_000_000);
const LOOKUPS = Number(process.argv[3] ?? 1_000_000);
/** Share of IPv6 entries (env V6_SHARE, default 0.2). */
const V6_SHARE = Number(process.env.V6_SHARE ?? 0.2);

// Deterministic PRNG (mulberry32) so runs are comparable.
const rnd = mulberry32(42);
const u32 = () => BigInt(Math.floor(rnd() * 4294967296));
const u128 = () => (u32() << 96n) | (u32() << 64n) | (u32() << 32n) | u32();

// Random CIDR prefixes are always nested or disjoint, like a delegation tree. IPv4 /8../28, IPv6
// inside 2000::/3 (/20../64).
function generate(n: number): IndexEntry<number>[] {
  const seen = new Set<string>();
  const out: IndexEntry<number>[] = [];
  while (out.length < n) {
    let r: NumberRange;
    if (rnd() >= V6_SHARE) {
      const len = 8 + Math.floor(rnd() * 21);
      const host = BigInt(32 - len);
      const start = (u32() >> host) << host;
      r = { family: 'ipv4', start, end: start + (1n << host) - 1n };
    } else {
      const len = 20 + Math.floor(rnd() * 45);
      const host = BigInt(128 - len);
      const start = (((u128() >> 3n) | (1n << 125n)) >> host) << host;
      r = { family: 'ipv6', start, end: start + (1n << host) - 1n };
    }
    const key = `${r.family}${r.start}/${r.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ range: r, value: out.length });
  }
  return out;
}

// Rates are per second of this process's CPU time (user + system) as well as of wall time: on a shared,
// loaded machine the wall-clock figure mostly measures the neighbours.
// Read-only look-ups are repeated (REPEAT times) and the best run is reported.
const REPEAT = Number(process.env.REPEAT ?? 3);
function rate(label: string, count: number, fn: () => void, repeat = 1): number {
  let cpu = Infinity;
  let wall = Infinity;
  for (let k = 0; k < repeat; k++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  const perS = count / cpu;
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`${label.padEnd(50)} ${count.toLocaleString('en').padStart(9)}: ${fmt(perS).padStart(10)}/s CPU (${cpu.toFixed(2)} s), ${fmt(count / wall).padStart(10)}/s wall`);
  return perS;
}

const entries = generate(N);
let index!: IntervalIndex<number>;
rate(`build IntervalIndex.from (${N.toLocaleString('en')} entries)`, N, () => { index = IntervalIndex.from(entries); });
console.log(`  ipv4 ${index.sizeOf('ipv4').toLocaleString('en')}, ipv6 ${index.sizeOf('ipv6').toLocaleString('en')}`);

const v4 = Array.from({ length: LOOKUPS }, u32);
const v6 = Array.from({ length: LOOKUPS }, () => (u128() >> 3n) | (1n << 125n));
let hits = 0;
const v4Rate = rate('longestMatch ipv4 (random addresses)', LOOKUPS, () => { for (const v of v4) if (index.longestMatch('ipv4', v)) hits++; }, REPEAT);
rate('longestMatch ipv6 (random addresses in 2000::/3)', LOOKUPS, () => { for (const v of v6) if (index.longestMatch('ipv6', v)) hits++; }, REPEAT);
const stored = entries.filter((e) => e.range.family === 'ipv4');
const inside = Array.from({ length: LOOKUPS }, (_, i) => stored[i % stored.length]!.range.start + 1n);
rate('longestMatch ipv4 (addresses inside entries)', LOOKUPS, () => { for (const v of inside) if (index.longestMatch('ipv4', v)) hits++; }, REPEAT);
const q = Math.min(LOOKUPS, 200_000);
let found = 0;
rate('lessSpecifics (stored ranges)', q, () => { for (let i = 0; i < q; i++) found += index.lessSpecifics(entries[i]!.range).length; }, REPEAT);
rate('moreSpecifics firstLevel (stored ranges)', q, () => { for (let i = 0; i < q; i++) found += index.moreSpecifics(entries[i]!.range, { firstLevel: true }).length; }, REPEAT);
rate('exact (stored ranges)', q, () => { for (let i = 0; i < q; i++) found += index.exact(entries[i]!.range).length; }, REPEAT);
const churn = 10_000;
const extra = generate(N + churn).slice(N).filter((e) => index.exact(e.range).length === 0);
rate('add (one at a time, into the full index)', extra.length, () => { for (const e of extra) index.add(e.range, e.value); });
rate('remove (one at a time)', extra.length, () => { for (const e of extra) index.remove(e.range, e.value); });
console.log(`(hits ${hits}, results ${found})`);
console.log(`core: ${Math.round(v4Rate).toLocaleString()} IPv4 longest-match look-ups per CPU-second on ${N.toLocaleString()} entries (${(v4Rate / 1_000_000).toFixed(2)}× the 1,000,000/s goal)`);
