/**
 * WHOIS answer messages: RIPE's error codes and texts (the ones operators' scripts already grep for),
 * as one table. Every line is a `%` comment; the first line of an error is `%ERROR:<code>: <text>`.
 */
export const ERRORS = {
  100: { text: 'internal software error', detail: () => ['Please contact the registry if the problem persists.'] },
  101: { text: 'no entries found', detail: (source: string) => [`No entries found in source ${source}.`] },
  102: { text: 'unknown source', detail: (source: string) => [`"${source}" is not a known source.`, 'Use "-q sources" to list known sources.'] },
  103: { text: 'unknown object type', detail: (type: string) => [`"${type}" is not a known object type.`, 'Use "-q types" to list known types.'] },
  104: { text: 'unknown attribute', detail: (attr: string) => [`"${attr}" is not a known attribute.`] },
  105: { text: 'attribute is not searchable', detail: (attr: string) => [`"${attr}" is not an inverse searchable attribute.`] },
  106: { text: 'no search key specified', detail: () => ['No search key specified'] },
  107: { text: 'input line too long', detail: (max: string) => [`Input exceeds the maximum line length (${max} bytes).`] },
  108: { text: 'bad character in input', detail: (what: string) => [`The query contains ${what}; queries are printable text.`] },
  109: { text: 'invalid combination of flags passed', detail: (a: string, b: string) => [`The flags "${a}" and "${b}" cannot be used together.`] },
  110: { text: 'multiple use of flag', detail: (flag: string) => [`The flag "${flag}" cannot be used multiple times.`] },
  111: { text: 'invalid option supplied', detail: (reason: string) => [reason, 'Use "help" to see the valid options.'] },
  112: { text: 'unsupported query', detail: () => ["'-M' is not allowed on very large ranges; use the statistics files instead."] },
  114: { text: 'unsupported query', detail: () => ["Search key doesn't match any known query types"] },
  115: { text: 'invalid search key', detail: (reason: string) => [reason || 'Search key entered is not valid for the specified object type(s)'] },
  116: { text: 'unsupported query', detail: () => ['Versions are not supported for PERSON/ROLE objects'] },
  117: { text: 'version cannot exceed', detail: (max: string) => [`Versions are numbers from 1 to ${max} for this object.`] },
  201: { text: 'access denied', detail: (client: string) => [
    `Queries from your IP address (${client}) have passed the daily limit of personal data objects.`,
    'Access to personal data from your host has been temporarily denied; try again tomorrow (UTC)',
    'or repeat the query with "-r" to leave out contact objects.',
  ] },
  305: { text: 'connection has been closed', detail: () => ['The connection has been closed after a period of inactivity.'] },
  306: { text: 'connections exceeded', detail: (max: string) => ['Number of connections from a single IP address', `has exceeded the maximum number allowed (${max}).`] },
  901: { text: 'duplicate IP flags passed', detail: () => ['More than one IP flag (-l, -L, -m, -M or -x) passed to the server.'] },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** `%ERROR:<code>: <text>` (201 adds "for <client>" as RIPE does), then `%` detail lines. */
export function errorText(code: ErrorCode, ...args: string[]): string {
  const e = ERRORS[code];
  const head = code === 201 ? `${e.text} for ${args[0] ?? ''}` : code === 117 ? `${e.text} ${args[0] ?? ''} for this object` : e.text;
  const detail = (e.detail as (...a: string[]) => readonly string[])(...args);
  return [`%ERROR:${code}: ${head}`, '%', ...detail.map((l) => `% ${l}`)].join('\n') + '\n';
}

export class WhoisQueryError extends Error {
  readonly args: string[];
  constructor(readonly code: ErrorCode, ...args: string[]) {
    super(`${code}: ${ERRORS[code].text}`);
    this.args = args;
  }
  render(): string {
    return errorText(this.code, ...this.args);
  }
}

export const comment = (...lines: string[]) => lines.map((l) => (l ? `% ${l}` : '%')).join('\n') + '\n';
