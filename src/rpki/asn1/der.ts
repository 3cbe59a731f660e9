/** Assembling DER from parts that are already encoded (a signed structure around its signed bytes). */

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((a, p) => a + p.length, 0);
  const head = [tag, ...lengthBytes(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head, 0);
  let o = head.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const sequence = (parts: Uint8Array[]) => tlv(0x30, parts);

/** BIT STRING with no unused bits (signatures). */
export const bitString = (bytes: Uint8Array) => tlv(0x03, [Uint8Array.of(0), bytes]);
