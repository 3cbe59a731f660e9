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
import type { RegistryView } from './registry-view.js';

export interface BulkOptions {
  verbose: boolean;
  noheader: boolean;
}

const COLUMNS = ['AS', 'IP', 'prefix', 'CC', 'registry', 'allocated', 'holder', 'abuse-c email'];
const VERBOSE_COLUMNS = ['status', 'net name', 'delegation'];
const WIDTHS = [10, 16, 18, 2, 8, 10];
const NA = 'NA';

const cell = (i: number, v: string) => (i < WIDTHS.length ? v.padEnd(WIDTHS[i]!) : v);
const row = (cells: string[]) => cells.map((c, i) => cell(i, c)).join(' | ').trimEnd();

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Fast path for the common dotted quad; everything else goes through the strict core parser. */
function parseAddress(text: string): { family: IpFamily; value: bigint } {
  const m = DOTTED.exec(text);
  if (m) {
    const o = [m[1], m[2], m[3], m[4]].map(Number);
    if (o.every((x, i) => x <= 255 && (String(x) === [m[1], m[2], m[3], m[4]][i]))) {
      return { family: 'ipv4', value: BigInt(((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!) };
    }
  }
  const ip = parseIp(text);
  return { family: ip.family as IpFamily, value: ip.value };
}

export class BulkSession {
  readonly options: BulkOptions = { verbose: false, noheader: false };
  private headerSent = false;
  private lineNo = 0;
  private suffixes = new WeakMap<Delegation, string>();
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
    let addr: { family: IpFamily; value: bigint };
    try {
      addr = parseAddress(text);
    } catch {
      return `${out}%ERROR:115: invalid search key\n% line ${this.lineNo}: ${JSON.stringify(text.slice(0, 80))} is not an IP address\n`;
    }
    return out + this.answer(addr.family, addr.value) + '\n';
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

  private answer(family: IpFamily, value: bigint): string {
    const ipText = formatIp(family, value);
    const d = this.view.index.longestMatch(family, value)?.value;
    const route = this.rpsl?.originOf?.(family, value);
    if (!d) {
      const base = [route ? `AS${route.origin}` : NA, ipText, route?.prefix ?? NA, NA, NA, NA, NA, NA];
      return row(this.options.verbose ? [...base, NA, NA, NA] : base);
    }
    let as = NA;
    if (route) as = `AS${route.origin}`;
    else {
      const origin = this.view.registeredOrigin(d);
      if (origin !== undefined) as = `AS${origin}`;
    }
    return `${row([as, ipText, route?.prefix ?? d.resource])} | ${this.suffix(d)}`;
  }

  /** The per-delegation part of the line, computed once per delegation and view state. */
  private suffix(d: Delegation): string {
    if (this.suffixSerial !== this.view.serial) {
      this.suffixes = new WeakMap();
      this.suffixSerial = this.view.serial;
    }
    let s = this.suffixes.get(d);
    if (s === undefined) {
      const holder = this.view.holder(d);
      const abuse = this.view.abuseContact(d);
      const cells = [d.country ?? holder?.country ?? NA, d.registry, d.delegatedOn ?? NA, holder?.name ?? d.holderName, abuse?.abuseMailbox ?? abuse?.email ?? NA];
      if (this.options.verbose) cells.push(d.status, d.netName ?? NA, d.resource);
      s = cells.map((c, i) => cell(i + 3, c)).join(' | ').trimEnd();
      this.suffixes.set(d, s);
    }
    return s;
  }
}
