/**
 * Fast path for the EE certificates of signed objects (one per ROA, so 100,000s per bulk issue): the same
 * TBSCertificate DER that cert.ts builds through pkijs, assembled from pre-encoded parts. Pieces that are
 * constant per issuing CA (issuer name, AKI, CRLDP, AIA) are encoded once and cached. A test checks that
 * both paths give byte-identical output for CA and EE certificates.
 */
import { bitString, sequence, tlv } from '../asn1/der.js';
import { OID, bigintToSignedBytes, toBytes, wholeSeconds } from '../asn1/util.js';
import * as asn1js from 'asn1js';
import { signSha256 } from '../crypto.js';
import { keyName, type CertSpec } from './cert.js';
import { encodeAsIdentifiers, encodeIpAddrBlocks } from './resources3779.js';

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
const ascii = (s: string) => Buffer.from(s, 'ascii');
const octets = (b: Uint8Array) => tlv(0x04, [b]);
const uri = (u: string) => tlv(0x86, [ascii(u)]);

function ext(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence([oid(id), TRUE, octets(value)]) : sequence([oid(id), octets(value)]);
}

export function encodeName(cn: string): Uint8Array {
  return sequence([tlv(0x31, [sequence([oid(OID.commonName), tlv(0x13, [ascii(cn)])])])]);
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
  return d.getUTCFullYear() < 2050 ? tlv(0x17, [ascii(compact.slice(2))]) : tlv(0x18, [ascii(compact)]);
}

function accessDescriptions(items: [string, string | undefined][]): Uint8Array {
  return sequence(items.filter((x): x is [string, string] => !!x[1]).map(([id, u]) => sequence([oid(id), uri(u)])));
}

const SHA256_RSA_DER = sequence([oid(OID.sha256WithRSA), Uint8Array.of(0x05, 0x00)]);
const KU_CA = Uint8Array.of(0x03, 0x02, 0x01, 0x06);
const KU_EE = Uint8Array.of(0x03, 0x02, 0x07, 0x80);

export function encodeTbsFast(spec: CertSpec): Uint8Array {
  const issuerId = Buffer.from(spec.issuer.key.keyId).toString('hex');
  const exts: Uint8Array[] = [];
  if (spec.ca) exts.push(ext(OID.basicConstraints, true, sequence([TRUE])));
  exts.push(ext(OID.ski, false, octets(spec.subjectKeyId)));
  exts.push(cached(`aki:${issuerId}`, () => ext(OID.aki, false, sequence([tlv(0x80, [spec.issuer.key.keyId])]))));
  exts.push(ext(OID.keyUsage, true, spec.ca ? KU_CA : KU_EE));
  if (spec.crlUri) {
    const u = spec.crlUri;
    exts.push(cached(`crldp:${u}`, () => ext(OID.crlDp, false, sequence([sequence([tlv(0xa0, [tlv(0xa0, [uri(u)])])])]))));
  }
  if (spec.issuerCertUri) {
    const u = spec.issuerCertUri;
    exts.push(cached(`aia:${u}`, () => ext(OID.aia, false, accessDescriptions([[OID.adCaIssuers, u]]))));
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
  exts.push(cached('policy', () => ext(OID.certPolicies, true, sequence([sequence([oid(OID.rpkiPolicy)])]))));
  const ip = spec.ip && encodeIpAddrBlocks(spec.ip);
  if (ip) exts.push(ext(OID.ipAddrBlocks, true, ip));
  const as = spec.asn && encodeAsIdentifiers(spec.asn);
  if (as) exts.push(ext(OID.autonomousSysIds, true, as));
  return sequence([
    VERSION_3,
    tlv(0x02, [bigintToSignedBytes(spec.serial)]),
    SHA256_RSA_DER,
    cached(`name:${spec.issuer.name}`, () => encodeName(spec.issuer.name)),
    sequence([time(spec.notBefore), time(spec.notAfter)]),
    encodeName(keyName(spec.subjectKeyId)),
    spec.subjectSpki,
    tlv(0xa3, [sequence(exts)]),
  ]);
}

export async function issueCertificateFast(spec: CertSpec): Promise<Uint8Array> {
  const tbs = encodeTbsFast(spec);
  const sig = await signSha256(spec.issuer.key.privateKey, tbs);
  return new Uint8Array(sequence([tbs, SHA256_RSA_DER, bitString(sig)]));
}
