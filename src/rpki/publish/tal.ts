/** Trust Anchor Locator (RFC 8630): URIs (HTTPS first when on), a blank line, the TA key as base64 SPKI. */
export function makeTal(uris: string[], spki: Uint8Array, comment?: string): string {
  const b64 = Buffer.from(spki).toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  const head = comment ? comment.split('\n').map((l) => `# ${l}\n`).join('') : '';
  return `${head}${uris.join('\n')}\n\n${b64}\n`;
}

export function parseTal(text: string): { uris: string[]; spki: Uint8Array } {
  const lines = text.split(/\r?\n/).filter((l) => !l.startsWith('#'));
  const blank = lines.indexOf('');
  if (blank < 1) throw new Error('TAL: URIs, blank line, key');
  return { uris: lines.slice(0, blank), spki: new Uint8Array(Buffer.from(lines.slice(blank + 1).join(''), 'base64')) };
}
