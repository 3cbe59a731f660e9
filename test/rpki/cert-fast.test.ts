/** The fast EE certificate path produces exactly the DER of the pkijs-built reference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkijs from 'pkijs';
import { ResourceSet } from '../../src/core/resource-set.js';
import { generateRsaKey } from '../../src/rpki/crypto.js';
import { SHA256_RSA, extensions, keyName, rdn, type CertSpec } from '../../src/rpki/objects/cert.js';
import { encodeTbsFast } from '../../src/rpki/objects/cert-fast.js';
import { intFromBigInt, toBytes, wholeSeconds } from '../../src/rpki/asn1/util.js';

function tbsViaPkijs(spec: CertSpec): Uint8Array {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = intFromBigInt(spec.serial);
  cert.signature = SHA256_RSA();
  cert.issuer = rdn(spec.issuer.name);
  cert.subject = rdn(keyName(spec.subjectKeyId));
  const time = (d: Date) => new pkijs.Time({ type: d.getUTCFullYear() < 2050 ? 0 : 1, value: wholeSeconds(d) });
  cert.notBefore = time(spec.notBefore);
  cert.notAfter = time(spec.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(spec.subjectSpki);
  cert.extensions = extensions(spec);
  return toBytes(cert.encodeTBS());
}

test('fast TBS encoder is byte-identical to the pkijs reference (EE, CA, TA, far-future dates)', async () => {
  const [ca, ee] = await Promise.all([generateRsaKey(), generateRsaKey()]);
  const base: CertSpec = {
    serial: 0x7fffffffffffffffn,
    issuer: { key: ca, name: keyName(ca.keyId) },
    subjectSpki: ee.spki,
    subjectKeyId: ee.keyId,
    notBefore: new Date('2026-11-23T18:48:07.123Z'),
    notAfter: new Date('2027-11-23T18:48:07Z'),
    ca: false,
    crlUri: 'rsync://127.0.0.1:8873/repo/ca/x/AB.crl',
    issuerCertUri: 'rsync://127.0.0.1:8873/repo/ta/AB.cer',
    sia: { signedObject: 'rsync://127.0.0.1:8873/repo/ca/x/' + 'a'.repeat(120) + '.roa' },
    ip: ResourceSet.parse('192.0.2.0/24, 2001:db8::/32'),
  };
  const variants: CertSpec[] = [
    base,
    { ...base, serial: 1n, ip: 'inherit', asn: 'inherit', notAfter: new Date('2051-01-01T00:00:00Z') },
    { ...base, ip: undefined, asn: ResourceSet.parse('AS64496') },
    { ...base, ca: true, sia: { caRepository: 'rsync://h/repo/ca/x/', rpkiManifest: 'rsync://h/repo/ca/x/AB.mft', rpkiNotify: 'https://h/rrdp/notification.xml' }, asn: ResourceSet.parse('AS1 - AS4294967295') },
    { ...base, ca: true, crlUri: undefined, issuerCertUri: undefined, sia: { caRepository: 'rsync://h/repo/ta/', rpkiManifest: 'rsync://h/repo/ta/AB.mft' } },
  ];
  for (const spec of variants) assert.equal(Buffer.from(encodeTbsFast(spec)).toString("hex"), Buffer.from(tbsViaPkijs(spec)).toString("hex"));
});
