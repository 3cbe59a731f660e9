import { StringDecoder } from 'node:string_decoder';

/**
 * Rows in PostgreSQL's COPY text format (one line per row, tab-separated, `\N` for NULL), so bulk paths can
 * stream rows with `COPY … FROM STDIN` instead of parameterised INSERTs, and read them with `COPY … TO STDOUT`.
 */
export type CopyValue = string | number | bigint | boolean | null | undefined | readonly string[];

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeText(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : text;
}

/** An array literal ({"a","b"}) for a text[] column; every element quoted so commas and braces are safe. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

function field(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (Array.isArray(value)) return escapeText(arrayLiteral(value as readonly string[]));
  return String(value);
}

/** One COPY text line, newline included. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = field(values[0]);
  for (let i = 1; i < values.length; i += 1) line += `\t${field(values[i])}`;
  return `${line}\n`;
}

const UNESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v', '\\': '\\' };

/** One field of COPY text output: null for `\N`, escapes decoded. */
export function copyField(raw: string): string | null {
  if (raw === '\\N') return null;
  return raw.includes('\\') ? raw.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c) : raw;
}

/** Re-chunks a byte stream of COPY output into strings that end at line boundaries. */
export async function* wholeLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    const cut = text.lastIndexOf('\n') + 1;
    rest = text.slice(cut);
    if (cut > 0) yield text.slice(0, cut);
  }
  if (rest) yield `${rest}\n`;
}
