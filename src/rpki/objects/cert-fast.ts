/**
 * Fast path for the EE certificates of signed objects (one per ROA, so 100,000s per bulk issue): the same
 * TBSCertificate DER that cert.ts builds through pkijs, assembled from pre-encoded parts. Pieces that are
 * constant per issuing CA (issuer name, AKI, CRLDP, AIA) are encoded once and cached. A test checks that
 * both paths give byte-identical output for CA and EE certificates.
 */
import { encodeDer, node, seq, type DerNode, type DerPart } from '../asn1/der.js';
import { OID, bigintToSignedBytes, toBytes, wholeSeconds } from '../asn1/util.js';
import * as asn1js from 'asn1js';
import { signSha256 } from '../crypto.js';
import { keyName, type CertSpec } from './cert.js';
import { asIdentifiersNode, ipAddrBlocksNode } from './resources3779.js';

const oidCache = new Map<string, Uint8Array>();
function oid(value: string): Uint8Array {
  let v = oidCache.get(value);
  if (!v) oidCache.set(value, (v = toBytes(new asn1js.ObjectIdentifier({ value }))));
  return v;
}

const cache = new Map<string, Uint8Array>();
function cached(key: string, make: () => Uint8Array): Uint8Array {
  let v = cache.get(key);
  if (!v) {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, (v = make()));
  }
  return v;
}

const TRUE = Uint8Array.of(0x01, 0x01, 0xff);
const VERSION_3 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x02);
const ascii = (s: string) => Buffer.from(s, 'latin1');
const octets = (b: DerPart) => node(0x04, [b]);
const uri = (u: string) => node(0x86, [ascii(u)]);

function ext(id: string, critical: boolean, value: DerPart): DerNode {
  return critical ? seq([oid(id), TRUE, octets(value)]) : seq([oid(id), octets(value)]);
}

export function encodeName(cn: string): Uint8Array {
  return encodeDer(nameNode(cn));
}

function nameNode(cn: string): DerNode {
  return seq([node(0x31, [seq([oid(OID.commonName), node(0x13, [ascii(cn)])])])]);
}

// a batch shares a handful of validity times: encode each once
const times = new Map<number, Uint8Array>();
function time(d: Date): Uint8Array {
  const s = Math.floor(d.getTime() / 1000);
  let der = times.get(s);
  if (!der) {
    if (times.size > 64) times.clear();
    times.set(s, (der = encodeTime(d)));
  }
  return der;
}

function encodeTime(d: Date): Uint8Array {
  const iso = wholeSeconds(d).toISOString(); // 2026-11-23T18:48:07.000Z
  const compact = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  return encodeDer(d.getUTCFullYear() < 2050 ? node(0x17, [ascii(compact.slice(2))]) : node(0x18, [ascii(compact)]));
}

function accessDescriptions(items: [string, string | undefined][]): DerNode {
  const parts: DerNode[] = [];
  for (const [id, u] of items) if (u) parts.push(seq([oid(id), uri(u)]));
  return seq(parts);
}

export const SHA256_RSA_DER = encodeDer(seq([oid(OID.sha256WithRSA), Uint8Array.of(0x05, 0x00)]));
const KU_CA = Uint8Array.of(0x03, 0x02, 0x01, 0x06);
const KU_EE = Uint8Array.of(0x03, 0x02, 0x07, 0x80);
const POLICY = () => encodeDer(ext(OID.certPolicies, true, seq([seq([oid(OID.rpkiPolicy)])])));

/** The TBSCertificate as a deferred DER tree (see asn1/der.ts). */
export function tbsNode(spec: CertSpec): DerNode {
  const issuerId = Buffer.from(spec.issuer.key.keyId).toString('hex');
  const exts: DerPart[] = [];
  if (spec.ca) exts.push(ext(OID.basicConstraints, true, seq([TRUE])));
  exts.push(ext(OID.ski, false, octets(spec.subjectKeyId)));
  exts.push(cached(`aki:${issuerId}`, () => encodeDer(ext(OID.aki, false, seq([node(0x80, [spec.issuer.key.keyId])])))));
  exts.push(ext(OID.keyUsage, true, spec.ca ? KU_CA : KU_EE));
  if (spec.crlUri) {
    const u = spec.crlUri;
    exts.push(cached(`crldp:${u}`, () => encodeDer(ext(OID.crlDp, false, seq([seq([node(0xa0, [node(0xa0, [uri(u)])])])])))));
  }
  if (spec.issuerCertUri) {
    const u = spec.issuerCertUri;
    exts.push(cached(`aia:${u}`, () => encodeDer(ext(OID.aia, false, accessDescriptions([[OID.adCaIssuers, u]])))));
  }
  exts.push(
    ext(
      OID.sia,
      false,
      accessDescriptions([
        [OID.adCaRepository, spec.sia.caRepository],
        [OID.adRpkiManifest, spec.sia.rpkiManifest],
        [OID.adRpkiNotify, spec.sia.rpkiNotify],
        [OID.adSignedObject, spec.sia.signedObject],
      ]),
    ),
  );
  exts.push(cached('policy', POLICY));
  const ip = spec.ip && ipAddrBlocksNode(spec.ip);
  if (ip) exts.push(ext(OID.ipAddrBlocks, true, ip));
  const as = spec.asn && asIdentifiersNode(spec.asn);
  if (as) exts.push(ext(OID.autonomousSysIds, true, as));
  return seq([
    VERSION_3,
    node(0x02, [bigintToSignedBytes(spec.serial)]),
    SHA256_RSA_DER,
    cached(`name:${spec.issuer.name}`, () => encodeName(spec.issuer.name)),
    seq([time(spec.notBefore), time(spec.notAfter)]),
    nameNode(keyName(spec.subjectKeyId)),
    spec.subjectSpki,
    node(0xa3, [seq(exts)]),
  ]);
}

export function encodeTbsFast(spec: CertSpec): Uint8Array {
  return encodeDer(tbsNode(spec), true);
}

/** Certificate = TBS, algorithm, signature BIT STRING (no unused bits), as a deferred tree. */
export function certificateNode(tbs: Uint8Array, signature: Uint8Array): DerNode {
  return seq([tbs, SHA256_RSA_DER, node(0x03, [ZERO, signature])]);
}
const ZERO = Uint8Array.of(0);

/** The signed certificate, as a deferred tree to embed in a signed object (encodeDer gives the DER). */
export async function issueCertificateFast(spec: CertSpec): Promise<DerNode> {
  const tbs = encodeTbsFast(spec);
  return certificateNode(tbs, await signSha256(spec.issuer.key.privateKey, tbs));
}
