/**
 * A JSONPath evaluator for the subset RDAP uses in `redacted` (RFC 9537) and sorting metadata (RFC 8977):
 * `$`, `.name`, `['name']`, `[n]`, `[*]`, and filters `[?(@.name=='v')]`, `[?(@[n]=='v')]`. Written for the
 * tests so they check paths against the responses independently of the server's own code.
 */
type Node = unknown;

function tokens(path: string): string[] {
  if (!path.startsWith('$')) throw new Error(`JSONPath must start with $: ${path}`);
  const out: string[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(path.slice(i));
      if (!m) throw new Error(`bad member at ${i} in ${path}`);
      out.push(`.${m[1]}`);
      i += m[0].length;
    } else if (path[i] === '[') {
      let depth = 0;
      let j = i;
      let quote: string | null = null;
      for (; j < path.length; j++) {
        const c = path[j]!;
        if (quote) {
          if (c === '\\') j++;
          else if (c === quote) quote = null;
        } else if (c === "'" || c === '"') quote = c;
        else if (c === '[') depth++;
        else if (c === ']' && --depth === 0) break;
      }
      if (j >= path.length) throw new Error(`unclosed [ in ${path}`);
      out.push(path.slice(i, j + 1));
      i = j + 1;
    } else throw new Error(`unexpected ${path[i]} at ${i} in ${path}`);
  }
  return out;
}

function literal(text: string): unknown {
  const t = text.trim();
  if (/^'.*'$/s.test(t) || /^".*"$/s.test(t)) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw new Error(`unsupported literal ${t}`);
}

function step(nodes: Node[], token: string): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    if (token.startsWith('.')) {
      const k = token.slice(1);
      if (n && typeof n === 'object' && !Array.isArray(n) && k in n) out.push((n as Record<string, unknown>)[k]);
      continue;
    }
    const inner = token.slice(1, -1).trim();
    if (inner === '*') {
      if (Array.isArray(n)) out.push(...n);
      else if (n && typeof n === 'object') out.push(...Object.values(n));
    } else if (/^\d+$/.test(inner)) {
      if (Array.isArray(n) && Number(inner) < n.length) out.push(n[Number(inner)]);
    } else if (/^'.*'$/.test(inner)) {
      const k = literal(inner) as string;
      if (n && typeof n === 'object' && k in n) out.push((n as Record<string, unknown>)[k]);
    } else if (inner.startsWith('?(') && inner.endsWith(')')) {
      const m = /^@((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+)\s*==\s*(.+)$/.exec(inner.slice(2, -1).trim());
      if (!m) throw new Error(`unsupported filter ${inner}`);
      const want = literal(m[2]!);
      const sub = tokens(`$${m[1]}`);
      const items = Array.isArray(n) ? n : n && typeof n === 'object' ? Object.values(n) : [];
      for (const item of items) {
        const got = sub.reduce<Node[]>((acc, t) => step(acc, t), [item]);
        if (got.some((g) => g === want)) out.push(item);
      }
    } else throw new Error(`unsupported selector ${token}`);
  }
  return out;
}

export function query(doc: unknown, path: string): unknown[] {
  return tokens(path).reduce<Node[]>((acc, t) => step(acc, t), [doc]);
}
