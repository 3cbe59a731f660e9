/** Assembling DER from parts that are already encoded (a signed structure around its signed bytes). */

export function tlv(tag: number, parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const lenOctets = len < 0x80 ? 0 : len < 0x100 ? 1 : len < 0x10000 ? 2 : len < 0x1000000 ? 3 : 4;
  // Buffer.allocUnsafe takes small buffers from a shared slab: far cheaper than one ArrayBuffer each
  const out = Buffer.allocUnsafe(2 + lenOctets + len);
  out[0] = tag;
  if (lenOctets === 0) out[1] = len;
  else {
    out[1] = 0x80 | lenOctets;
    for (let i = 0; i < lenOctets; i++) out[2 + i] = (len >>> (8 * (lenOctets - 1 - i))) & 0xff;
  }
  let o = 2 + lenOctets;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const sequence = (parts: Uint8Array[]) => tlv(0x30, parts);

/** BIT STRING with no unused bits (signatures). */
export const bitString = (bytes: Uint8Array) => tlv(0x03, [Uint8Array.of(0), bytes]);

/** Minimal two's-complement INTEGER for a non-negative value. */
export function derInteger(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError('negative');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, [Uint8Array.from(bytes)]);
}

/** BIT STRING of the first `bits` bits of `value`, a `width`-bit number (unused trailing bits zero). */
export function derAddressBits(value: bigint, width: number, bits: number): Uint8Array {
  const nbytes = Math.ceil(bits / 8);
  const buf = new Uint8Array(nbytes + 1);
  buf[0] = nbytes * 8 - bits;
  const shifted = value >> BigInt(width - nbytes * 8);
  for (let i = 0; i < nbytes; i++) buf[1 + i] = Number((shifted >> BigInt(8 * (nbytes - 1 - i))) & 0xffn);
  if (nbytes) buf[nbytes]! &= (0xff << buf[0]!) & 0xff;
  return tlv(0x03, [buf]);
}
