import type { Column, Row } from './types.js';

function cellText(value: Row[string]): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return value;
}

/** Plain-text table: a header, a rule, one line per row; numbers with thousands separators, right-aligned. */
export function formatTable(columns: Column[], rows: Row[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(row[c.key] ?? null)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}
