/**
 * RFC 4180 CSV: quoted fields may contain commas, doubled quotes and line breaks (IANA's notes do).
 * Returns rows of fields with the 1-based line number on which each row starts.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      if (ch === '\n') line++;
      field += ch; i++;
      continue;
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue; }
    if (ch === ',') { fields.push(field); field = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (ch === '\n') { endRow(); line++; rowLine = line; i++; continue; }
    field += ch; i++;
  }
  if (quoted) throw new SyntaxError(`unterminated quoted field starting on line ${rowLine}`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}
