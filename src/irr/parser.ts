/**
 * Generic RPSL text parser (RFC 2622 section 2): attribute lines "name: value", continuation lines starting
 * with space, tab or "+", end-of-line "#" comments, case-insensitive attribute names. It knows nothing about
 * classes; validate.ts checks the result against the class table. It never throws: every problem becomes an
 * error with the line number (1-based, within the object) and the attribute it concerns.
 */
export interface RpslError {
  line?: number;
  attribute?: string;
  message: string;
}

export interface RawAttribute {
  /** lower-cased attribute name */
  name: string;
  /** value as written: the first line's text after the colon, continuation lines joined by "\n" */
  raw: string;
  /** line number of the attribute's first line */
  line: number;
  /** the continuation character of each continuation line (for faithful re-formatting) */
  continuation: string[];
}

export interface ParsedText {
  attributes: RawAttribute[];
  errors: RpslError[];
}

const ATTR_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const CONTINUATION = new Set([' ', '\t', '+']);

/** Attributes IRRd adds when answering queries; dropped on input (they are computed, never stored). */
export const GENERATED_ATTRIBUTES = new Set(['rpki-ov-state', 'last-modified-irrd']);

export function parseRpslText(text: string): ParsedText {
  return parseRpslLines(text.replace(/\r\n/g, '\n').replace(/^\n+|\n+$/g, '').split('\n'));
}

/** The same on an object already split into lines (imports split the dump once). */
export function parseRpslLines(lines: readonly string[]): ParsedText {
  const errors: RpslError[] = [];
  const attributes: RawAttribute[] = [];
  let current: RawAttribute | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    if (line.length === 0) {
      errors.push({ line: lineNo, message: `Line ${lineNo}: empty line in the middle of an object (objects are separated by blank lines)` });
      break;
    }
    if (CONTINUATION.has(line[0])) {
      if (!current) {
        errors.push({ line: lineNo, message: `Line ${lineNo}: continuation line before the first attribute` });
        break;
      }
      current.raw += '\n' + line.slice(1);
      current.continuation.push(line[0]);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      errors.push({ line: lineNo, message: `Line ${lineNo}: line is neither a continuation line nor an attribute: [${line}]` });
      break;
    }
    const name = line.slice(0, colon).toLowerCase();
    if (!ATTR_NAME.test(name)) {
      errors.push({ line: lineNo, attribute: name, message: `Line ${lineNo}: malformed attribute name: [${name}]` });
      break;
    }
    current = { name, raw: line.slice(colon + 1), line: lineNo, continuation: [] };
    attributes.push(current);
  }
  return { attributes, errors };
}

/** Removes "#" comments from every line of a value and trims it; lines are joined with one space. */
export function cleanValue(raw: string): string {
  if (!raw.includes('\n')) {
    const hash = raw.indexOf('#');
    return (hash >= 0 ? raw.slice(0, hash) : raw).trim();
  }
  const parts: string[] = [];
  for (const line of raw.split('\n')) {
    const hash = line.indexOf('#');
    const part = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (part) parts.push(part);
  }
  return parts.join(' ');
}

/**
 * Splits a dump or a submission into object texts: objects are separated by one or more blank lines
 * (lines that are empty or contain only whitespace *and* are followed by a non-continuation... RPSL treats a
 * whitespace-only line inside an object as a continuation, so only truly empty lines separate). Lines starting
 * with "%" or "#" at object level are comments and skipped.
 */
export function* splitObjects(text: string): Generator<{ text: string; firstLine: number }> {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let buf: string[] = [];
  let first = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' && (buf.length === 0 || line === '' || !isContinuationBlank(lines, i))) {
      if (buf.length) yield { text: buf.join('\n'), firstLine: first };
      buf = [];
      continue;
    }
    if (buf.length === 0 && (line.startsWith('%') || line.startsWith('#'))) continue;
    if (buf.length === 0) first = i + 1;
    buf.push(line);
  }
  if (buf.length) yield { text: buf.join('\n'), firstLine: first };
}

// A whitespace-only line is a continuation line when the object goes on after it.
function isContinuationBlank(lines: string[], i: number): boolean {
  const next = lines[i + 1];
  return next !== undefined && next !== '' && (CONTINUATION.has(next[0]) || next.trim() !== '');
}
