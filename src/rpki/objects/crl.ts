/** CRLs (RFC 6487 §5): v2, AKI + CRLNumber extensions only, no entry extensions. Built with pkijs. */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bitString, sequence } from '../asn1/der.js';
import { OID, intFromBigInt, toBytes, wholeSeconds } from '../asn1/util.js';
import { signSha256, type RsaKey } from '../crypto.js';
import { SHA256_RSA, rdn } from './cert.js';

export interface CrlSpec {
  issuer: { key: RsaKey; name: string };
  number: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: { serial: bigint; date: Date }[];
}

const time = (d: Date) => new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: wholeSeconds(d) });

export async function issueCrl(spec: CrlSpec): Promise<Uint8Array> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.signature = SHA256_RSA();
  crl.issuer = rdn(spec.issuer.name);
  crl.thisUpdate = time(spec.thisUpdate);
  crl.nextUpdate = time(spec.nextUpdate);
  const revoked = [...spec.revoked].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  if (revoked.length) {
    crl.revokedCertificates = revoked.map((r) => new pkijs.RevokedCertificate({ userCertificate: intFromBigInt(r.serial), revocationDate: time(r.date) }));
  }
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      new pkijs.Extension({
        extnID: OID.aki,
        critical: false,
        extnValue: toBytes(new asn1js.Sequence({ value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: spec.issuer.key.keyId })] })).buffer as ArrayBuffer,
      }),
      new pkijs.Extension({ extnID: OID.crlNumber, critical: false, extnValue: toBytes(intFromBigInt(spec.number)).buffer as ArrayBuffer }),
    ],
  });
  const tbs = toBytes((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS());
  const sig = await signSha256(spec.issuer.key.privateKey, tbs);
  return new Uint8Array(sequence([tbs, toBytes(SHA256_RSA().toSchema()), bitString(sig)]));
}

export interface DecodedCrl {
  number: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: bigint[];
  crl: pkijs.CertificateRevocationList;
}

export function decodeCrl(der: Uint8Array): DecodedCrl {
  const crl = pkijs.CertificateRevocationList.fromBER(der);
  if (crl.version !== 1) throw new Error('CRL: version must be v2');
  const exts = crl.crlExtensions?.extensions ?? [];
  const ids = exts.map((e) => e.extnID).sort();
  if (ids.join() !== [OID.crlNumber, OID.aki].sort().join()) throw new Error(`CRL: extensions must be exactly AKI and CRLNumber, got ${ids.join()}`);
  const num = exts.find((e) => e.extnID === OID.crlNumber)!;
  const n = asn1js.fromBER(num.extnValue.valueBlock.valueHexView).result as asn1js.Integer;
  for (const r of crl.revokedCertificates ?? []) if (r.crlEntryExtensions) throw new Error('CRL: entry extensions not allowed');
  return {
    number: BigInt('0x' + Buffer.from(n.valueBlock.valueHexView).toString('hex')),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate!.value,
    revoked: (crl.revokedCertificates ?? []).map((r) => BigInt('0x' + Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex'))),
    crl,
  };
}
