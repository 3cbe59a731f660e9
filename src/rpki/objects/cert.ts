/**
 * RPKI resource certificates (RFC 6487): CA certificates and the one EE certificate inside every signed
 * object. X.509 structure through pkijs; the RFC 3779 extensions come from resources3779.ts.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bitString, sequence } from '../asn1/der.js';
import { OID, intFromBigInt, toBytes, wholeSeconds } from '../asn1/util.js';
import { hex, signSha256, type RsaKey } from '../crypto.js';
import { encodeAsIdentifiers, encodeIpAddrBlocks, type Inheritable } from './resources3779.js';

export interface Sia {
  caRepository?: string;
  rpkiManifest?: string;
  rpkiNotify?: string;
  signedObject?: string;
}

export interface CertSpec {
  serial: bigint;
  /** Issuer's key (signs) and its subject name; for a self-signed certificate the subject's own key. */
  issuer: { key: RsaKey; name: string };
  subjectSpki: Uint8Array;
  subjectKeyId: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  /** Absent in a self-signed trust anchor certificate. */
  crlUri?: string;
  issuerCertUri?: string;
  sia: Sia;
  ip?: Inheritable;
  asn?: Inheritable;
}

/** Subject name of an RPKI certificate: CN = hex of the key identifier (RFC 6487 §4.5: PrintableString). */
export function keyName(keyId: Uint8Array): string {
  return hex(keyId).toUpperCase();
}

export function rdn(cn: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.PrintableString({ value: cn }) })],
  });
}

export const SHA256_RSA = () => new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });

const ext = (extnID: string, critical: boolean, der: Uint8Array) =>
  new pkijs.Extension({ extnID, critical, extnValue: new Uint8Array(der).buffer as ArrayBuffer }); // a copy: der may be a view into a shared slab

const uri = (u: string) => new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 6 }, valueHex: Buffer.from(u, 'ascii') });

function accessDescriptions(items: [string, string | undefined][]): Uint8Array {
  return toBytes(
    new asn1js.Sequence({
      value: items.filter((x): x is [string, string] => !!x[1]).map(([oid, u]) => new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), uri(u)] })),
    }),
  );
}

function keyUsage(ca: boolean): Uint8Array {
  // CA: keyCertSign(5) + cRLSign(6) → 0000011 (7 bits); EE: digitalSignature(0) → 1 (1 bit)
  return toBytes(ca ? new asn1js.BitString({ valueHex: Uint8Array.of(0x06), unusedBits: 1 }) : new asn1js.BitString({ valueHex: Uint8Array.of(0x80), unusedBits: 7 }));
}

export function extensions(spec: CertSpec): pkijs.Extension[] {
  const out: pkijs.Extension[] = [];
  if (spec.ca) out.push(ext(OID.basicConstraints, true, toBytes(new asn1js.Sequence({ value: [new asn1js.Boolean({ value: true })] }))));
  out.push(ext(OID.ski, false, toBytes(new asn1js.OctetString({ valueHex: spec.subjectKeyId }))));
  out.push(
    ext(OID.aki, false, toBytes(new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: spec.issuer.key.keyId })] }))),
  );
  out.push(ext(OID.keyUsage, true, keyUsage(spec.ca)));
  if (spec.crlUri) {
    // CRLDistributionPoints: SEQUENCE { DistributionPoint { [0] fullName [0] GeneralNames { uri } } }
    const dp = new asn1js.Sequence({
      value: [
        new asn1js.Sequence({
          value: [
            new asn1js.Constructed({
              idBlock: { tagClass: 3, tagNumber: 0 },
              value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [uri(spec.crlUri)] })],
            }),
          ],
        }),
      ],
    });
    out.push(ext(OID.crlDp, false, toBytes(dp)));
  }
  if (spec.issuerCertUri) out.push(ext(OID.aia, false, accessDescriptions([[OID.adCaIssuers, spec.issuerCertUri]])));
  out.push(
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
  out.push(
    ext(OID.certPolicies, true, toBytes(new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.rpkiPolicy })] })] }))),
  );
  const ip = spec.ip && encodeIpAddrBlocks(spec.ip);
  if (ip) out.push(ext(OID.ipAddrBlocks, true, ip));
  const asn = spec.asn && encodeAsIdentifiers(spec.asn);
  if (asn) out.push(ext(OID.autonomousSysIds, true, asn));
  return out;
}

/** Validity times: UTCTime until 2049 as RFC 5280 requires (pkijs picks the type from the date). */
const time = (d: Date) => new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: wholeSeconds(d) });

/** The DER of a signed certificate. */
export async function issueCertificate(spec: CertSpec): Promise<Uint8Array> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = intFromBigInt(spec.serial);
  cert.signature = SHA256_RSA();
  cert.issuer = rdn(spec.issuer.name);
  cert.subject = rdn(keyName(spec.subjectKeyId));
  cert.notBefore = time(spec.notBefore);
  cert.notAfter = time(spec.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spec.subjectSpki);
  cert.extensions = extensions(spec);
  const tbs = toBytes(cert.encodeTBS());
  const sig = await signSha256(spec.issuer.key.privateKey, tbs);
  return new Uint8Array(sequence([tbs, toBytes(SHA256_RSA().toSchema()), bitString(sig)]));
}

/** Parsed view used by tests and by the CA when it reloads its state. */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der);
}
