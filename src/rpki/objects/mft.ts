/** Manifests (RFC 9286): the Manifest content. */
import * as asn1js from 'asn1js';
import { OID, bigintToSignedBytes, expect, generalizedTime, integerValue, parseDer, toBytes } from '../asn1/util.js';
import { encodeDer, node, seq } from '../asn1/der.js';

export interface ManifestContent {
  number: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  files: { name: string; hash: Uint8Array }[];
}

export const MANIFEST_CONTENT_TYPE = OID.ctManifest;
const FILE_NAME = /^[a-zA-Z0-9_-]+\.[a-z]{3}$/;

/**
 * Hand-built DER (RPKI-specific content; decodeManifest reads it back with asn1js). A manifest lists every
 * object of its CA (100,000s in a bulk issue): each FileAndHash can be encoded once, when the object is
 * issued (manifestEntry), and the manifest then only concatenates them.
 */
export function encodeManifest(m: ManifestContent): Uint8Array {
  return encodeManifestEntries(m, m.files.map((f) => manifestEntry(f.name, f.hash)));
}

/** FileAndHash ::= SEQUENCE { file IA5String, hash BIT STRING } */
export function manifestEntry(name: string, hash: Uint8Array): Uint8Array {
  if (!FILE_NAME.test(name)) throw new Error(`manifest: bad file name ${name}`);
  if (hash.length !== 32) throw new Error('manifest: SHA-256 hash expected');
  // from the shared slab: entries are small and live as long as their objects
  return encodeDer(seq([node(0x16, [Buffer.from(name, 'latin1')]), node(0x03, [ZERO, hash])]), true);
}
const ZERO = Uint8Array.of(0);

export function encodeManifestEntries(m: Omit<ManifestContent, 'files'>, entries: readonly Uint8Array[]): Uint8Array {
  return encodeDer(
    seq([
      node(0x02, [bigintToSignedBytes(m.number)]),
      toBytes(generalizedTime(m.thisUpdate)),
      toBytes(generalizedTime(m.nextUpdate)),
      SHA256_OID,
      seq(entries),
    ]),
  );
}
const SHA256_OID = toBytes(new asn1js.ObjectIdentifier({ value: OID.sha256 }));

export function decodeManifest(der: Uint8Array): ManifestContent {
  const seq = expect(parseDer(der), asn1js.Sequence, 'Manifest').valueBlock.value;
  if (seq[0]?.idBlock.tagClass === 3) throw new Error('manifest: version must be absent (DER default 0)');
  if (seq.length !== 5) throw new Error('manifest: 5 fields expected');
  const number = integerValue(expect(seq[0], asn1js.Integer, 'manifestNumber'));
  if (number.toString(16).length > 40) throw new Error('manifest: manifestNumber longer than 20 octets');
  const thisUpdate = expect(seq[1], asn1js.GeneralizedTime, 'thisUpdate').toDate();
  const nextUpdate = expect(seq[2], asn1js.GeneralizedTime, 'nextUpdate').toDate();
  if (nextUpdate <= thisUpdate) throw new Error('manifest: nextUpdate not after thisUpdate');
  if (expect(seq[3], asn1js.ObjectIdentifier, 'fileHashAlg').valueBlock.toString() !== OID.sha256) throw new Error('manifest: fileHashAlg must be SHA-256');
  const files = expect(seq[4], asn1js.Sequence, 'fileList').valueBlock.value.map((f) => {
    const [name, hash] = expect(f, asn1js.Sequence, 'FileAndHash').valueBlock.value;
    const n = expect(name, asn1js.IA5String, 'file').valueBlock.value;
    if (!FILE_NAME.test(n)) throw new Error(`manifest: bad file name ${n}`);
    const h = expect(hash, asn1js.BitString, 'hash');
    if (h.valueBlock.unusedBits !== 0 || h.valueBlock.valueHexView.length !== 32) throw new Error('manifest: hash must be 32 octets');
    return { name: n, hash: new Uint8Array(h.valueBlock.valueHexView) };
  });
  return { number, thisUpdate, nextUpdate, files };
}
