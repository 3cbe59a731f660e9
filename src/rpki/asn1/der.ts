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
  const buf = Buffer.allocUnsafe(nbytes + 3);
  buf[0] = 0x03;
  buf[1] = nbytes + 1;
  buf[2] = nbytes * 8 - bits;
  if (width <= 32) {
    // IPv4 (the bulk of all ROAs): plain number arithmetic instead of a BigInt per byte
    const v = Number(value);
    for (let i = 0; i < nbytes; i++) buf[3 + i] = Math.floor(v / 2 ** (width - 8 * (i + 1))) & 0xff;
  } else {
    const shifted = value >> BigInt(width - nbytes * 8);
    for (let i = 0; i < nbytes; i++) buf[3 + i] = Number((shifted >> BigInt(8 * (nbytes - 1 - i))) & 0xffn);
  }
  if (nbytes) buf[2 + nbytes]! &= (0xff << buf[2]!) & 0xff;
  return buf;
}

/**
 * Deferred DER for the hot paths (one ROA = one EE certificate + one CMS wrapper, 100,000s per bulk issue):
 * `node` only adds up lengths, `encodeDer` writes the whole tree into one exact-size buffer. Nesting `tlv`
 * instead copies every inner element once per enclosing level and allocates a buffer per element.
 */
export interface DerNode {
  readonly tag: number;
  readonly parts: readonly DerPart[];
  readonly contentLength: number;
  /** Encoded size, header included (named like Uint8Array's so that both add up the same way). */
  readonly length: number;
}
export type DerPart = Uint8Array | DerNode;

const lengthOctets = (len: number) => (len < 0x80 ? 0 : len < 0x100 ? 1 : len < 0x10000 ? 2 : len < 0x1000000 ? 3 : 4);

export function node(tag: number, parts: readonly DerPart[]): DerNode {
  let len = 0;
  for (const p of parts) len += p.length;
  return { tag, parts, contentLength: len, length: 2 + lengthOctets(len) + len };
}

export const seq = (parts: readonly DerPart[]) => node(0x30, parts);

function writeDer(out: Uint8Array, o: number, p: DerPart): number {
  if (p instanceof Uint8Array) {
    const n = p.length;
    if (n > 16) out.set(p, o);
    else for (let i = 0; i < n; i++) out[o + i] = p[i]!; // cheaper than a set() call for the many tiny parts
    return o + n;
  }
  const len = p.contentLength;
  out[o++] = p.tag;
  const n = lengthOctets(len);
  if (n === 0) out[o++] = len;
  else {
    out[o++] = 0x80 | n;
    for (let i = n - 1; i >= 0; i--) out[o++] = (len >>> (8 * i)) & 0xff;
  }
  for (const c of p.parts) o = writeDer(out, o, c);
  return o;
}

/**
 * The DER bytes of a tree, by default in a buffer of their own (exact size: a long-lived object pins nothing
 * else). `transient` takes the bytes from Node's shared slab instead (much cheaper to allocate), for
 * intermediate encodings that are signed or hashed and then copied into an enclosing object.
 */
export function encodeDer(p: DerPart, transient = false): Uint8Array {
  if (p instanceof Uint8Array) return p;
  const out = transient ? Buffer.allocUnsafe(p.length) : new Uint8Array(p.length);
  writeDer(out, 0, p);
  return out;
}
