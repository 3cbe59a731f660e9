/**
 * RPKI signed objects (RFC 6488): CMS SignedData v3 with one EE certificate, no CRLs, one SignerInfo
 * identified by subject key identifier, signed attributes content-type + message-digest only,
 * SHA-256 digests and an RSA signature.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { encodeDer, node, seq, type DerNode } from '../asn1/der.js';
import { OID, parseDer, toBytes } from '../asn1/util.js';
import { sha256, signSha256, type RsaKey } from '../crypto.js';
import type { CertSpec } from './cert.js';
import { issueCertificateFast } from './cert-fast.js';

const oidCache = new Map<string, Uint8Array>();
const oid = (value: string) => {
  let v = oidCache.get(value);
  if (!v) oidCache.set(value, (v = toBytes(new asn1js.ObjectIdentifier({ value }))));
  return v;
};
const INTEGER_3 = Uint8Array.of(0x02, 0x01, 0x03);
const SHA256_ALG = encodeDer(seq([oid(OID.sha256)]));
const DIGEST_ALGS = encodeDer(node(0x31, [SHA256_ALG]));
const RSA_ALG = encodeDer(seq([oid(OID.rsaEncryption), Uint8Array.of(0x05, 0x00)]));
const SIGNED_DATA_OID = oid(OID.signedData);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const contentTypeAttrs = new Map<string, Uint8Array>();
/** The signed attributes' content (DER SET OF order); signed as a SET (0x31), carried in SignerInfo as [0] (0xA0). */
function signedAttributes(eContentType: string, digest: Uint8Array): Uint8Array[] {
  let ct = contentTypeAttrs.get(eContentType);
  if (!ct) contentTypeAttrs.set(eContentType, (ct = encodeDer(seq([oid(OID.contentType), node(0x31, [oid(eContentType)])]))));
  const md = encodeDer(seq([oid(OID.messageDigest), node(0x31, [node(0x04, [digest])])]), true);
  return compareBytes(ct, md) < 0 ? [ct, md] : [md, ct];
}

export interface SignedObjectSpec {
  eContentType: string;
  eContent: Uint8Array;
  /** One-time-use (or batch) EE key that signs the content. */
  eeKey: RsaKey;
  /** The EE certificate, minus what this module fills in (subject key). */
  ee: Omit<CertSpec, 'subjectSpki' | 'subjectKeyId' | 'ca'>;
}

export async function issueSignedObject(spec: SignedObjectSpec): Promise<Uint8Array> {
  const attrs = signedAttributes(spec.eContentType, sha256(spec.eContent));
  const [eeCert, signature] = await Promise.all([
    issueCertificateFast({ ...spec.ee, ca: false, subjectSpki: spec.eeKey.spki, subjectKeyId: spec.eeKey.keyId }),
    signSha256(spec.eeKey.privateKey, encodeDer(node(0x31, attrs), true)),
  ]);
  const signerInfo = seq([INTEGER_3, node(0x80, [spec.eeKey.keyId]), SHA256_ALG, node(0xa0, attrs), RSA_ALG, node(0x04, [signature])]);
  const signedData: DerNode = seq([
    INTEGER_3,
    DIGEST_ALGS,
    seq([oid(spec.eContentType), node(0xa0, [node(0x04, [spec.eContent])])]),
    node(0xa0, [eeCert]),
    node(0x31, [signerInfo]),
  ]);
  // one exact-size buffer per object, so that a long-lived object does not pin a shared allocation slab
  return encodeDer(seq([SIGNED_DATA_OID, node(0xa0, [signedData])]));
}

export interface DecodedSignedObject {
  eContentType: string;
  eContent: Uint8Array;
  ee: pkijs.Certificate;
  signedData: pkijs.SignedData;
}

/** Decodes with pkijs and checks the RFC 6488 §3 profile rules (not the signature: see verifySignedObject). */
export function decodeSignedObject(der: Uint8Array): DecodedSignedObject {
  const ci = new pkijs.ContentInfo({ schema: parseDer(der) });
  if (ci.contentType !== OID.signedData) throw new Error('CMS: not SignedData');
  const sd = new pkijs.SignedData({ schema: ci.content });
  if (sd.version !== 3) throw new Error('CMS: SignedData version must be 3');
  if (sd.digestAlgorithms.length !== 1 || sd.digestAlgorithms[0]!.algorithmId !== OID.sha256) throw new Error('CMS: digestAlgorithms must be exactly SHA-256');
  if (sd.crls?.length) throw new Error('CMS: CRLs not allowed');
  if (sd.certificates?.length !== 1) throw new Error('CMS: exactly one EE certificate required');
  if (sd.signerInfos.length !== 1) throw new Error('CMS: exactly one SignerInfo required');
  const si = sd.signerInfos[0]!;
  if (si.version !== 3) throw new Error('CMS: SignerInfo version must be 3');
  if (!(si.sid instanceof asn1js.Primitive) || si.sid.idBlock.tagNumber !== 0) throw new Error('CMS: sid must be subjectKeyIdentifier');
  if (si.signatureAlgorithm.algorithmId !== OID.rsaEncryption && si.signatureAlgorithm.algorithmId !== OID.sha256WithRSA) throw new Error('CMS: signature algorithm');
  if (si.unsignedAttrs) throw new Error('CMS: unsigned attributes not allowed');
  const types = (si.signedAttrs?.attributes ?? []).map((a) => a.type).sort();
  if (types.join() !== [OID.contentType, OID.messageDigest].sort().join()) throw new Error(`CMS: signed attributes ${types.join()}`);
  const eContent = sd.encapContentInfo.eContent;
  if (!eContent) throw new Error('CMS: eContent missing');
  return {
    eContentType: sd.encapContentInfo.eContentType,
    eContent: new Uint8Array(eContent.getValue()),
    ee: sd.certificates[0] as pkijs.Certificate,
    signedData: sd,
  };
}
