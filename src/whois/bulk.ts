/**
 * Bulk attribution for CSIRTs and banks: after "begin", one IP address per line, answered from the in-memory
 * view (one O(log n) longest match per line), until "end". Each answer line is
 *   AS | IP | prefix | CC | registry | allocated | holder | abuse-c email
 * "verbose" adds status | net name | delegation; "noheader" leaves out the two header lines.
 * The AS is the origin of the most specific IRR route object covering the address when the IRR provides a
 * look-up, else the registry's own answer (the lowest AS number held by the holder or an ancestor holder).
 */
import { formatIp, parseIp, type IpFamily } from '../core/index.js';
import type { Delegation } from '../registry/delegation-model.js';
import type { RpslLookup } from './hooks.js';
import type { RegistryView } from '../registry/view.js';

export interface BulkOptions {
  verbose: boolean;
  noheader: boolean;
}

const COLUMNS = ['AS', 'IP', 'prefix', 'CC', 'registry', 'allocated', 'holder', 'abuse-c email'];
const VERBOSE_COLUMNS = ['status', 'net name', 'delegation'];
const WIDTHS = [10, 16, 18, 2, 8, 10];
const NA = 'NA';
/** Rendered line suffixes kept per bulk session before the cache starts over. */
const SUFFIX_CACHE_LIMIT = 100_000;

const cell = (i: number, v: string) => (i < WIDTHS.length ? v.padEnd(WIDTHS[i]!) : v);
const row = (cells: string[]) => cells.map((c, i) => cell(i, c)).join(' | ').trimEnd();

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Fast path for the common dotted quad (a canonical one is its own formatted text); everything else goes
 * through the strict core parser and is shown in canonical form.
 */
function parseAddress(text: string): { family: IpFamily; value: bigint; text: string } {
  const m = DOTTED.exec(text);
  if (m) {
    let v = 0;
    let canonical = true;
    for (let i = 1; i <= 4; i++) {
      const part = m[i]!;
      const o = Number(part);
      if (o > 255) throw new Error('octet above 255');
      if (part.length > 1 && part[0] === '0') canonical = false;
      v = v * 256 + o;
    }
    if (canonical) return { family: 'ipv4', value: BigInt(v), text };
  }
  const ip = parseIp(text);
  return { family: ip.family as IpFamily, value: ip.value, text: formatIp(ip.family as IpFamily, ip.value) };
}

interface Cached {
  as: string;
  suffix: string;
}

export class BulkSession {
  readonly options: BulkOptions = { verbose: false, noheader: false };
  private headerSent = false;
  private lineNo = 0;
  /** By delegation id: the view hands out a fresh object per look-up, so the object cannot be the key. */
  private suffixes = new Map<string, Cached>();
  private suffixSerial = -1;

  constructor(private readonly view: RegistryView, private readonly rpsl?: RpslLookup, private readonly now: () => Date = () => new Date()) {}

  /** Answers one line of bulk input ("end" is handled by the caller). */
  line(raw: string): string {
    const text = raw.trim();
    this.lineNo++;
    if (text === '' || text.startsWith('#')) return '';
    const word = text.toLowerCase();
    if (word === 'verbose' || word === 'noheader') {
      if (!this.headerSent) {
        this.options[word] = true;
        return '';
      }
      return `%ERROR:111: invalid option supplied\n% "${word}" must come before the first address (line ${this.lineNo}).\n`;
    }
    let out = '';
    if (!this.headerSent) {
      this.headerSent = true;
      if (!this.options.noheader) out += this.header();
    }
    let addr: { family: IpFamily; value: bigint; text: string };
    try {
      addr = parseAddress(text);
    } catch {
      return `${out}%ERROR:115: invalid search key\n% line ${this.lineNo}: ${JSON.stringify(text.slice(0, 80))} is not an IP address\n`;
    }
    return out + this.answer(addr.family, addr.value, addr.text) + '\n';
  }

  /** Header lines; also sent by the caller on "end" when no address came. */
  header(): string {
    const t = this.now().toISOString();
    const cols = this.options.verbose ? [...COLUMNS, ...VERBOSE_COLUMNS] : COLUMNS;
    return `Bulk mode; numreg whois [${t.slice(0, 10)} ${t.slice(11, 19)} +0000]\n${row(cols)}\n`;
  }

  get started(): boolean {
    return this.headerSent;
  }

  private answer(family: IpFamily, value: bigint, ipText: string): string {
    const d = this.view.delegations.longestMatch(family, value);
    const route = this.rpsl?.originOf?.(family, value);
    if (!d) {
      const base = [route ? `AS${route.origin}` : NA, ipText, route?.prefix ?? NA, NA, NA, NA, NA, NA];
      return row(this.options.verbose ? [...base, NA, NA, NA] : base);
    }
    const c = this.cached(d);
    const as = route ? `AS${route.origin}` : c.as;
    return `${cell(0, as)} | ${cell(1, ipText)} | ${cell(2, route?.prefix ?? d.resource)} | ${c.suffix}`;
  }

  /** The per-delegation parts of the line, computed once per delegation and view state. */
  private cached(d: Delegation): Cached {
    if (this.suffixSerial !== this.view.serial || this.suffixes.size >= SUFFIX_CACHE_LIMIT) {
      this.suffixes = new Map();
      this.suffixSerial = this.view.serial;
    }
    let c = this.suffixes.get(d.id);
    if (c === undefined) {
      const holder = this.view.holder(d);
      const abuse = this.view.abuseContact(d);
      const origin = this.view.registeredOrigin(d);
      const cells = [d.country ?? holder?.country ?? NA, d.registry, d.delegatedOn ?? NA, holder?.name ?? d.holderName, abuse?.abuseMailbox ?? abuse?.email ?? NA];
      if (this.options.verbose) cells.push(d.status, d.netName ?? NA, d.resource);
      c = { as: origin !== undefined ? `AS${origin}` : NA, suffix: cells.map((x, i) => cell(i + 3, x)).join(' | ').trimEnd() };
      this.suffixes.set(d.id, c);
    }
    return c;
  }
}
