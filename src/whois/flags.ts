/**
 * The query flags, RIPE-style, as one table: short and long names, whether they take an argument, which
 * option they set, which flags they cannot be combined with, and the help line. The parser, the `help`
 * answer and the tests all read this table.
 */
export type IpLookup = 'exact' | 'one-less' | 'all-less' | 'one-more' | 'all-more';
export type InfoTopic = 'version' | 'types' | 'sources';
export type OutputFormat = 'rpsl' | 'jpnic' | 'jpnic-en';

export interface QueryOptions {
  noRecursion: boolean;
  unfiltered: boolean;
  noGrouping: boolean;
  brief: boolean;
  primaryKeys: boolean;
  keepAlive: boolean;
  allSources: boolean;
  listVersions: boolean;
  showVersion: number | null;
  ip: IpLookup | null;
  types: string[] | null;
  inverse: string[] | null;
  sources: string[] | null;
  info: InfoTopic | null;
  client: string | null;
  format: OutputFormat | null;
}

export const DEFAULT_OPTIONS: QueryOptions = {
  noRecursion: false, unfiltered: false, noGrouping: false, brief: false, primaryKeys: false, keepAlive: false,
  allSources: false, listVersions: false, showVersion: null, ip: null, types: null, inverse: null, sources: null,
  info: null, client: null, format: null,
};

type ArgKind = 'list' | 'word' | 'int' | 'info' | 'format';

export interface FlagSpec {
  short?: string;
  long: string;
  arg?: ArgKind;
  /** What the flag sets: a boolean option, an IP look-up mode, or an option that takes the argument. */
  sets: { option: keyof QueryOptions; value?: unknown };
  /** Flags (by long name) this one cannot be used with (error 109). */
  conflicts?: string[];
  /** May be given more than once (list arguments are merged); otherwise a repeat is error 110. */
  repeatable?: boolean;
  help: string;
}

const ip = (value: IpLookup, short: string, long: string, help: string): FlagSpec => ({ short, long, sets: { option: 'ip', value }, help });

export const FLAGS: FlagSpec[] = [
  { short: 'r', long: 'no-referenced', sets: { option: 'noRecursion' }, help: 'do not return the contact, organisation and maintainer objects an object refers to' },
  { short: 'B', long: 'no-filtering', sets: { option: 'unfiltered' }, help: 'unfiltered output (natural persons\' personal data stays withheld)' },
  { short: 'G', long: 'no-grouping', sets: { option: 'noGrouping' }, help: 'do not group objects under "% Information related to" lines' },
  { short: 'b', long: 'abuse-contact', sets: { option: 'brief' }, conflicts: ['no-filtering', 'primary-keys'], help: 'brief: only the primary key and abuse contact e-mail of address objects' },
  { short: 'K', long: 'primary-keys', sets: { option: 'primaryKeys' }, help: 'only primary keys (and abuse contacts)' },
  { short: 'k', long: 'persistent-connection', sets: { option: 'keepAlive' }, help: 'keep the connection open for further queries; send "-k" again to close' },
  { short: 'T', long: 'select-types', arg: 'list', repeatable: true, sets: { option: 'types' }, help: 'only objects of these types (comma separated)' },
  { short: 'i', long: 'inverse', arg: 'list', repeatable: true, sets: { option: 'inverse' }, conflicts: ['exact', 'one-less', 'all-less', 'one-more', 'all-more'], help: 'inverse look-up: objects whose attribute(s) name the key (admin-c, tech-c, abuse-c, mnt-by, mnt-lower, mnt-routes, org)' },
  ip('exact', 'x', 'exact', 'exact match only'),
  ip('one-less', 'l', 'one-less', 'first level less specific (not the exact match)'),
  ip('all-less', 'L', 'all-less', 'all less specific, including the exact match'),
  ip('one-more', 'm', 'one-more', 'first level more specific'),
  ip('all-more', 'M', 'all-more', 'all more specific'),
  { short: 'q', long: 'query', arg: 'info', sets: { option: 'info' }, help: 'server information: version, types or sources' },
  { short: 's', long: 'sources', arg: 'list', repeatable: true, sets: { option: 'sources' }, conflicts: ['all-sources'], help: 'search only these sources (comma separated)' },
  { short: 'a', long: 'all-sources', sets: { option: 'allSources' }, help: 'search all sources' },
  { short: 'V', long: 'client', arg: 'word', sets: { option: 'client' }, help: 'client name and version (accepted, not used)' },
  { long: 'list-versions', sets: { option: 'listVersions' }, conflicts: ['show-version', 'inverse', 'one-less', 'all-less', 'one-more', 'all-more', 'abuse-contact', 'primary-keys'], help: 'list the versions of an object' },
  { long: 'show-version', arg: 'int', sets: { option: 'showVersion' }, conflicts: ['inverse', 'one-less', 'all-less', 'one-more', 'all-more', 'abuse-contact', 'primary-keys'], help: 'show version N of an object' },
  { long: 'format', arg: 'format', sets: { option: 'format' }, help: 'output style: rpsl, jpnic (Japanese) or jpnic-en; a key ending in /e or /j does the same as JPNIC\'s server' },
];

export const FLAG_BY_SHORT = new Map(FLAGS.filter((f) => f.short).map((f) => [f.short!, f]));
export const FLAG_BY_LONG = new Map(FLAGS.map((f) => [f.long, f]));

/** The `help` answer, generated from the table. */
export function helpText(): string {
  const lines = ['% numreg WHOIS query flags (RIPE style):', '%'];
  for (const f of FLAGS) {
    const names = [f.short ? `-${f.short}` : null, `--${f.long}`].filter(Boolean).join(', ');
    const arg = f.arg === 'list' ? ' <a,b,...>' : f.arg === 'int' ? ' <n>' : f.arg ? ' <value>' : '';
    lines.push(`%   ${(names + arg).padEnd(40)} ${f.help}`);
  }
  lines.push('%', '% Keys: IPv4/IPv6 address, prefix or range, AS number, handle, organisation, maintainer, name.',
    '% JPNIC style: append /j (Japanese) or /e (English), e.g. "192.0.2.1/e".',
    '% Bulk attribution: send "begin", then one address per line ("verbose", "noheader" options), then "end".',
    '% IRRd commands start with "!" ("!!" keeps the connection open).');
  return lines.join('\n') + '\n';
}
