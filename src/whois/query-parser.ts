/**
 * Parses one query line into flags and a search key, RIPE style (flags may be grouped, "-rBG", and a flag's
 * argument may be attached, "-Tinetnum"), plus JPNIC's "/e" suffix. Every refusal is a WhoisQueryError with
 * RIPE's code, so the server answers `%ERROR:<code>: <text>` and never throws on bad input.
 */
import { ResourceParseError } from '../core/index.js';
import { DEFAULT_OPTIONS, FLAG_BY_LONG, FLAG_BY_SHORT, type FlagSpec, type InfoTopic, type OutputFormat, type QueryOptions } from './flags.js';
import { classifyKey, type ClassifiedKey } from './keys.js';
import { WhoisQueryError } from './messages.js';

export interface WhoisQuery {
  options: QueryOptions;
  /** The search key as given (blanks collapsed, JPNIC suffix removed); '' when there is none. */
  key: string;
  classified: ClassifiedKey | null;
  format: OutputFormat;
  /** Flags in the order given (long names), for messages. */
  given: string[];
}

/** Known object types for -T (numreg's own classes and the IRR's RPSL classes). */
export const OWN_TYPES = ['inetnum', 'inet6num', 'aut-num', 'as-block', 'organisation', 'person', 'role', 'mntner'] as const;
export const IRR_TYPES = ['route', 'route6', 'as-set', 'route-set', 'filter-set', 'rtr-set', 'peering-set', 'inet-rtr', 'key-cert', 'irt', 'domain'] as const;
export const KNOWN_TYPES = new Set<string>([...OWN_TYPES, ...IRR_TYPES]);

/** Inverse-searchable attributes (RIPE short forms in brackets) and the attributes that exist but are not searchable. */
export const INVERSE_ATTRIBUTES = new Map<string, string>([
  ['admin-c', 'admin-c'], ['ac', 'admin-c'], ['tech-c', 'tech-c'], ['tc', 'tech-c'], ['abuse-c', 'abuse-c'], ['au', 'abuse-c'],
  ['mnt-by', 'mnt-by'], ['mb', 'mnt-by'], ['mnt-lower', 'mnt-lower'], ['ml', 'mnt-lower'], ['mnt-routes', 'mnt-routes'], ['mu', 'mnt-routes'],
  ['org', 'org'], ['og', 'org'], ['person', 'person'], ['pn', 'person'],
  ['origin', 'origin'], ['or', 'origin'], ['member-of', 'member-of'], ['mo', 'member-of'], ['members', 'members'], ['mbrs-by-ref', 'mbrs-by-ref'],
]);
const NOT_SEARCHABLE = new Set(['netname', 'descr', 'country', 'status', 'source', 'created', 'last-modified', 'remarks', 'address', 'phone', 'e-mail', 'org-name', 'as-name', 'nic-hdl', 'inetnum', 'inet6num', 'aut-num']);

const INFO_TOPICS: InfoTopic[] = ['version', 'types', 'sources'];
const FORMATS: OutputFormat[] = ['rpsl', 'jpnic', 'jpnic-en'];
const SUFFIX_FORMAT: Record<string, OutputFormat> = { e: 'jpnic-en', j: 'jpnic' };

/** C0/C1 controls (tab aside), DEL, and U+FFFD (what invalid UTF-8 decodes to). */
const BAD_CHAR = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\ufffd]/;

/** One bare key (an address, prefix-free resource or handle): no flags, no blanks, no suffix, no odd bytes. */
const PLAIN_KEY = /^[0-9A-Za-z.:_]+$/;

export function parseQuery(line: string, defaultFormat: OutputFormat = 'rpsl'): WhoisQuery {
  // the common case, answered exactly as the general parser below would, without tokenising
  const plain = line.trim();
  if (PLAIN_KEY.test(plain)) return { options: { ...DEFAULT_OPTIONS }, key: plain, classified: classify(plain), format: defaultFormat, given: [] };
  if (BAD_CHAR.test(line)) {
    const m = BAD_CHAR.exec(line)!;
    const cp = m[0].codePointAt(0)!;
    throw new WhoisQueryError(108, cp === 0xfffd ? 'bytes that are not UTF-8' : `the control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  const tokens = line.trim().split(/\s+/).filter((t) => t !== '');
  const options: QueryOptions = { ...DEFAULT_OPTIONS };
  const given: string[] = [];
  const keyWords: string[] = [];
  let endOfFlags = false;

  const apply = (spec: FlagSpec, arg: string | undefined, written: string) => {
    if (given.includes(spec.long) && !spec.repeatable) throw new WhoisQueryError(110, written);
    for (const other of spec.conflicts ?? []) if (given.includes(other)) throw conflictError(spec.long, other);
    for (const g of given) if (FLAG_BY_LONG.get(g)?.conflicts?.includes(spec.long)) throw conflictError(g, spec.long);
    given.push(spec.long);
    const { option, value } = spec.sets;
    if (option === 'ip') {
      if (options.ip) throw new WhoisQueryError(901);
      options.ip = value as QueryOptions['ip'];
      return;
    }
    if (!spec.arg) {
      (options as unknown as Record<string, unknown>)[option] = value ?? true;
      return;
    }
    if (arg === undefined || arg === '') throw new WhoisQueryError(111, `The flag "${written}" needs an argument.`);
    switch (spec.arg) {
      case 'list': {
        const items = arg.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
        if (items.length === 0) throw new WhoisQueryError(111, `The flag "${written}" needs an argument.`);
        const prev = (options[option] as string[] | null) ?? [];
        (options as unknown as Record<string, unknown>)[option] = [...prev, ...items];
        break;
      }
      case 'int': {
        if (!/^[0-9]{1,9}$/.test(arg)) throw new WhoisQueryError(111, `"${arg}" is not a version number.`);
        (options as unknown as Record<string, unknown>)[option] = Number(arg);
        break;
      }
      case 'info': {
        const topic = arg.toLowerCase() as InfoTopic;
        if (!INFO_TOPICS.includes(topic)) throw new WhoisQueryError(111, `"-q ${arg}": use -q version, -q types or -q sources.`);
        options.info = topic;
        break;
      }
      case 'format': {
        const f = arg.toLowerCase() as OutputFormat;
        if (!FORMATS.includes(f)) throw new WhoisQueryError(111, `"--format ${arg}": use rpsl, jpnic or jpnic-en.`);
        options.format = f;
        break;
      }
      case 'word':
        (options as unknown as Record<string, unknown>)[option] = arg;
        break;
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (endOfFlags || !t.startsWith('-') || t === '-' || keyWords.length > 0 && !t.startsWith('--') && !FLAG_BY_SHORT.has(t.slice(1, 2))) {
      keyWords.push(t);
      continue;
    }
    if (t === '--') {
      endOfFlags = true;
      continue;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = (eq > 0 ? t.slice(2, eq) : t.slice(2)).toLowerCase();
      const spec = FLAG_BY_LONG.get(name);
      if (!spec) throw new WhoisQueryError(111, `"${t}" is not a known flag.`);
      let arg: string | undefined;
      if (spec.arg) arg = eq > 0 ? t.slice(eq + 1) : tokens[++i];
      apply(spec, arg, `--${spec.long}`);
      continue;
    }
    // grouped short flags: -rBG, -Tinetnum, -rT inetnum
    for (let j = 1; j < t.length; j++) {
      const c = t[j]!;
      const spec = FLAG_BY_SHORT.get(c);
      if (!spec) throw new WhoisQueryError(111, `"-${c}" is not a known flag.`);
      if (spec.arg) {
        const rest = t.slice(j + 1);
        apply(spec, rest !== '' ? rest : tokens[++i], `-${c}`);
        break;
      }
      apply(spec, undefined, `-${c}`);
    }
  }

  let key = keyWords.join(' ');
  let format: OutputFormat = options.format ?? defaultFormat;
  const suffix = /\/([ej])$/i.exec(key);
  if (suffix && key.length > 2) {
    format = SUFFIX_FORMAT[suffix[1]!.toLowerCase()]!;
    key = key.slice(0, -2).trimEnd();
  }

  if (options.types) for (const t of options.types) if (!KNOWN_TYPES.has(t)) throw new WhoisQueryError(103, t);
  if (options.inverse) {
    for (const a of options.inverse) {
      if (INVERSE_ATTRIBUTES.has(a)) continue;
      throw new WhoisQueryError(NOT_SEARCHABLE.has(a) ? 105 : 104, a);
    }
  }
  if (options.sources) options.sources = options.sources.map((s) => s.toUpperCase());

  let classified: ClassifiedKey | null = null;
  if (key !== '') {
    if (options.inverse) {
      classified = { kind: 'handle', upper: key.toUpperCase() };
    } else {
      classified = classify(key);
    }
  } else if (!options.info && !options.keepAlive) {
    throw new WhoisQueryError(106);
  }
  return { options, key, classified, format, given };
}

function classify(key: string): ClassifiedKey {
  try {
    return classifyKey(key);
  } catch (e) {
    if (e instanceof ResourceParseError) throw new WhoisQueryError(115, `"${key}": ${e.reason}`);
    throw e;
  }
}

function conflictError(a: string, b: string): WhoisQueryError {
  const name = (long: string) => {
    const f = FLAG_BY_LONG.get(long);
    return f?.short ? `-${f.short}` : `--${long}`;
  };
  return new WhoisQueryError(109, name(a), name(b));
}
