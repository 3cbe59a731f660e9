/**
 * Rows in PostgreSQL's COPY text format (one line per row, tab-separated, `\N` for NULL), so bulk paths can
 * stream rows with `COPY … FROM STDIN` instead of parameterised INSERTs.
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
