/**
 * Every published object, decoded by independent decoders (openssl x509/crl/cms/asn1parse) and by ours,
 * checked against the profile rules: RFC 6487 certificates and CRLs, RFC 6488 CMS, RFC 9582 ROAs,
 * RFC 9286 manifests, ASPA (current SIDROPS profile). `openssl cms -verify` validates each signature and
 * the whole chain up to the TA, including OpenSSL's own RFC 3779 resource checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { formatPrefix, prefixToRange } from '../../src/core/prefix.js';
import { ResourceSet } from '../../src/core/resource-set.js';
import { startRpkiService, type RpkiService } from '../../src/rpki/index.js';
import { OID } from '../../src/rpki/asn1/util.js';
import { decodeAspa } from '../../src/rpki/objects/aspa.js';
import { decodeCrl } from '../../src/rpki/objects/crl.js';
import { decodeManifest } from '../../src/rpki/objects/mft.js';
import { decodeRoa } from '../../src/rpki/objects/roa.js';
import { decodeAsIdentifiers, decodeIpAddrBlocks } from '../../src/rpki/objects/resources3779.js';
import { decodeSignedObject } from '../../src/rpki/objects/signed.js';
import { parseTal } from '../../src/rpki/publish/tal.js';
import { HAVE, publicTempDir } from './peers.js';

const openssl = (args: string[], input?: Buffer) => execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

const pem = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END CERTIFICATE-----\n`;

function extMap(cert: pkijs.Certificate): Map<string, pkijs.Extension> {
  const m = new Map<string, pkijs.Extension>();
  for (const e of cert.extensions ?? []) {
    assert.ok(!m.has(e.extnID), `duplicate extension ${e.extnID}`);
    m.set(e.extnID, e);
  }
  return m;
}

function accessUris(e: pkijs.Extension | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!e) return out;
  const seq = asn1js.fromBER(e.extnValue.valueBlock.valueHexView).result as asn1js.Sequence;
  for (const ad of seq.valueBlock.value as asn1js.Sequence[]) {
    const [oid, name] = ad.valueBlock.value;
    const k = (oid as asn1js.ObjectIdentifier).valueBlock.toString();
    out.set(k, [...(out.get(k) ?? []), Buffer.from((name as asn1js.Primitive).valueBlock.valueHexView).toString('ascii')]);
  }
  return out;
}

const KEY_CERT_SIGN_CRL_SIGN = '03020106'; // bits 5 and 6, one unused bit
const DIGITAL_SIGNATURE = '03020780';

/** RFC 6487 §4 rules common to CA and EE certificates; returns the extension map. */
function checkCertProfile(cert: pkijs.Certificate, kind: 'ta' | 'ca' | 'ee', label: string) {
  assert.equal(cert.version, 2, `${label}: X.509 v3`);
  assert.equal(cert.signature.algorithmId, OID.sha256WithRSA, `${label}: sha256WithRSAEncryption`);
  const serial = cert.serialNumber.valueBlock.valueHexView;
  assert.ok(serial.length <= 20 && !(serial[0]! & 0x80), `${label}: positive serial of at most 20 octets`);
  for (const n of [cert.subject, cert.issuer]) {
    assert.equal(n.typesAndValues.length, 1, `${label}: one RDN (CN)`);
    assert.equal(n.typesAndValues[0]!.type, OID.commonName);
    assert.ok(n.typesAndValues[0]!.value instanceof asn1js.PrintableString, `${label}: CN is PrintableString`);
  }
  const spki = cert.subjectPublicKeyInfo;
  assert.equal(spki.algorithm.algorithmId, OID.rsaEncryption, `${label}: RSA key`);
  const rsa = asn1js.fromBER(spki.subjectPublicKey.valueBlock.valueHexView).result as asn1js.Sequence;
  const [mod, exp] = rsa.valueBlock.value as asn1js.Integer[];
  assert.equal(mod!.valueBlock.valueHexView.length, 257, `${label}: 2048-bit modulus`);
  assert.equal(Buffer.from(exp!.valueBlock.valueHexView).toString('hex'), '010001', `${label}: exponent 65537`);
  const ext = extMap(cert);
  const allowed = new Set([OID.basicConstraints, OID.ski, OID.aki, OID.keyUsage, OID.crlDp, OID.aia, OID.sia, OID.certPolicies, OID.ipAddrBlocks, OID.autonomousSysIds]);
  for (const id of ext.keys()) assert.ok(allowed.has(id as never), `${label}: extension ${id} not in the RFC 6487 profile`);
  const critical = (id: string, want: boolean) => assert.equal(ext.get(id)?.critical ?? false, want, `${label}: ${id} criticality`);
  const ku = Buffer.from(ext.get(OID.keyUsage)!.extnValue.valueBlock.valueHexView).toString('hex');
  critical(OID.keyUsage, true);
  critical(OID.certPolicies, true);
  critical(OID.sia, false);
  assert.ok(ext.has(OID.ski), `${label}: SKI`);
  const pol = asn1js.fromBER(ext.get(OID.certPolicies)!.extnValue.valueBlock.valueHexView).result as asn1js.Sequence;
  assert.equal(pol.valueBlock.value.length, 1, `${label}: exactly one policy`);
  assert.equal(((pol.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString(), OID.rpkiPolicy);
  assert.ok(ext.has(OID.ipAddrBlocks) || ext.has(OID.autonomousSysIds), `${label}: RFC 3779 resources present`);
  if (ext.has(OID.ipAddrBlocks)) critical(OID.ipAddrBlocks, true);
  if (ext.has(OID.autonomousSysIds)) critical(OID.autonomousSysIds, true);
  if (kind === 'ee') {
    assert.equal(ku, DIGITAL_SIGNATURE, `${label}: EE key usage digitalSignature only`);
    assert.ok(!ext.has(OID.basicConstraints), `${label}: EE has no basicConstraints`);
  } else {
    assert.equal(ku, KEY_CERT_SIGN_CRL_SIGN, `${label}: CA key usage keyCertSign+cRLSign`);
    critical(OID.basicConstraints, true);
    const bc = asn1js.fromBER(ext.get(OID.basicConstraints)!.extnValue.valueBlock.valueHexView).result as asn1js.Sequence;
    assert.equal(bc.valueBlock.value.length, 1, `${label}: cA only, no pathLen`);
  }
  if (kind === 'ta') {
    assert.ok(!ext.has(OID.crlDp) && !ext.has(OID.aia), `${label}: TA has neither CRLDP nor AIA`);
  } else {
    assert.ok(ext.has(OID.aki) && ext.has(OID.crlDp) && ext.has(OID.aia), `${label}: AKI, CRLDP, AIA`);
  }
  return ext;
}

test('every published object decodes with openssl and follows the RPKI profiles', { skip: HAVE.openssl ? false : 'openssl not installed', timeout: 85_000 }, async (t) => {
  const base = publicTempDir('numreg-rpki-profile-');
  let service: RpkiService | undefined;
  t.after(async () => {
    await service?.close();
    if (!process.env.KEEP) rmSync(base, { recursive: true, force: true });
  });
  service = await startRpkiService({ dataDir: join(base, 'data'), rsync: false, rsyncPort: 8873, httpsBaseUrl: 'https://rpki.example.net' });
  const holders = [
    { handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, 198.51.100.0 - 198.51.100.99, 2001:db8::/32, AS64496, AS64500 - AS64510') },
    { handle: 'LIR-B', resources: ResourceSet.parse('203.0.113.0/24, AS64497') },
  ];
  const report = await service.sync({
    holders,
    roas: [
      { holderHandle: 'LIR-A', prefix: '192.0.2.0/24', maxLength: 26, asn: 64496 },
      { holderHandle: 'LIR-A', prefix: '2001:db8::/32', maxLength: 48, asn: 4200000000 },
      { holderHandle: 'LIR-B', prefix: '203.0.113.0/24', asn: 0 },
    ],
    aspas: [{ holderHandle: 'LIR-A', customerAsn: 64496, providers: [64511, 64499, 64499] }],
  });
  assert.deepEqual(report.skipped, []);

  const repo = service.repoDir;
  const tal = parseTal(readFileSync(service.talFile, 'utf8'));
  assert.deepEqual(tal.uris, ['https://rpki.example.net/rpki/ta.cer', 'rsync://127.0.0.1:8873/repo/ta.cer']);
  const files = walk(repo).map((f) => relative(repo, f)).sort();
  for (const f of files) assert.match(f, /\.(cer|crl|mft|roa|asa)$/, `${f}: only extensions relying parties fetch`);
  for (const f of files) assert.equal(statSync(join(repo, f)).mode & 0o044, 0o044, `${f}: world-readable`);

  const certs = new Map<string, pkijs.Certificate>(); // rsync URI → certificate
  const uri = (f: string) => `rsync://127.0.0.1:8873/repo/${f}`;
  for (const f of files.filter((x) => x.endsWith('.cer'))) {
    const der = readFileSync(join(repo, f));
    assert.match(openssl(['x509', '-inform', 'DER', '-noout', '-text'], der), /sbgp-ipAddrBlock: critical/, `${f}: openssl decodes the RFC 3779 extension`);
    certs.set(uri(f), pkijs.Certificate.fromBER(der));
  }
  const ta = certs.get(uri('ta.cer'))!;
  assert.deepEqual(new Uint8Array(ta.subjectPublicKeyInfo.toSchema().toBER()), tal.spki, 'TAL key is the TA key');
  checkCertProfile(ta, 'ta', 'ta.cer');
  const taPem = join(base, 'ta.pem');
  writeFileSync(taPem, pem(new Uint8Array(ta.toSchema().toBER())));

  // CA certificates: exact holder resources, SIA with repository, manifest and RRDP notify
  const childCerts = [...certs].filter(([u]) => u !== uri('ta.cer'));
  assert.equal(childCerts.length, 2);
  for (const [u, cert] of childCerts) {
    const ext = checkCertProfile(cert, 'ca', u);
    const ip = decodeIpAddrBlocks(ext.get(OID.ipAddrBlocks)!.extnValue.valueBlock.valueHexView);
    const as = decodeAsIdentifiers(ext.get(OID.autonomousSysIds)!.extnValue.valueBlock.valueHexView);
    const got = ResourceSet.fromRanges([...(ip.ipv4 as []), ...((ip.ipv6 ?? []) as []), ...(as as [])]);
    assert.ok(holders.some((h) => h.resources.equals(got)), `${u}: resources equal a holder's exactly (${got})`);
    const sia = accessUris(ext.get(OID.sia));
    assert.match(sia.get(OID.adCaRepository)![0]!, /^rsync:\/\/127\.0\.0\.1:8873\/repo\/ca\/lir-[ab]-[0-9a-f]{8}\/$/);
    assert.match(sia.get(OID.adRpkiManifest)![0]!, /\.mft$/);
    assert.deepEqual(sia.get(OID.adRpkiNotify), ['https://rpki.example.net/rrdp/notification.xml']);
    assert.deepEqual(accessUris(ext.get(OID.aia)).get(OID.adCaIssuers), [uri('ta.cer')]);
    const chain = openssl(['verify', '-CAfile', taPem, '-purpose', 'any'], Buffer.from(pem(new Uint8Array(cert.toSchema().toBER()))));
    assert.match(chain, /OK/, `${u}: openssl verifies the chain to the TA`);
  }

  // CRLs: v2, signed by their CA, AKI + CRLNumber
  for (const f of files.filter((x) => x.endsWith('.crl'))) {
    const der = readFileSync(join(repo, f));
    const c = decodeCrl(der);
    assert.ok(c.nextUpdate > c.thisUpdate);
    const issuer = [...certs.values()].find((x) => x.subject.typesAndValues[0]!.value.valueBlock.value === c.crl.issuer.typesAndValues[0]!.value.valueBlock.value)!;
    const issuerPem = join(base, 'issuer.pem');
    writeFileSync(issuerPem, pem(new Uint8Array(issuer.toSchema().toBER())));
    const r = spawnSync('openssl', ['crl', '-inform', 'DER', '-CAfile', issuerPem, '-noout'], { input: der });
    assert.equal(r.status, 0, `${f}: openssl checks the CRL signature`);
    assert.match(String(r.stderr), /verify OK/);
  }

  // signed objects
  const seen = { roa: 0, mft: 0, asa: 0 };
  for (const f of files.filter((x) => /\.(roa|mft|asa)$/.test(x))) {
    const der = readFileSync(join(repo, f));
    const ext = f.slice(-3) as 'roa' | 'mft' | 'asa';
    seen[ext]++;
    const so = decodeSignedObject(der); // RFC 6488 §3 structure rules
    const eeExt = checkCertProfile(so.ee, 'ee', f);
    assert.deepEqual(accessUris(eeExt.get(OID.sia)).get(OID.adSignedObject), [uri(f)], `${f}: EE SIA points at the object`);
    const parentUri = accessUris(eeExt.get(OID.aia)).get(OID.adCaIssuers)![0]!;
    const parent = certs.get(parentUri)!;
    assert.ok(parent, `${f}: AIA names a published CA certificate`);
    // independent check: openssl validates the CMS signature and the chain EE → CA → TA (with RFC 3779)
    // (the CA certificate goes into the trusted file too: openssl cms has no -untrusted; the chain CA → TA
    // was verified above, and OpenSSL still walks up to the self-signed TA and checks RFC 3779 nesting)
    const chainPem = join(base, 'chain.pem');
    writeFileSync(chainPem, readFileSync(taPem, 'utf8') + (parentUri === uri('ta.cer') ? '' : pem(new Uint8Array(parent.toSchema().toBER()))));
    const content = execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-CAfile', chainPem, '-purpose', 'any', '-binary'], { input: der, stdio: ['pipe', 'pipe', 'pipe'] });
    assert.deepEqual(new Uint8Array(content), so.eContent, `${f}: openssl extracts the same eContent`);
    const parsed = openssl(['asn1parse', '-inform', 'DER'], content);
    assert.match(parsed, /SEQUENCE/);
    if (ext === 'roa') {
      assert.equal(so.eContentType, OID.ctRoa);
      const roa = decodeRoa(so.eContent);
      const ip = decodeIpAddrBlocks(eeExt.get(OID.ipAddrBlocks)!.extnValue.valueBlock.valueHexView);
      const eeRes = ResourceSet.fromRanges([...((ip.ipv4 ?? []) as []), ...((ip.ipv6 ?? []) as [])]);
      assert.ok(eeRes.equals(ResourceSet.fromRanges(roa.prefixes.map((p) => prefixToRange(p.prefix)))), `${f}: EE resources are exactly the ROA prefixes`);
      assert.ok(!eeExt.has(OID.autonomousSysIds), `${f}: ROA EE carries no AS resources`);
      assert.match(parsed, /INTEGER/, `${f}: asID`);
      t.diagnostic(`${f}: AS${roa.asn} ${roa.prefixes.map((p) => `${formatPrefix(p.prefix)}-${p.maxLength}`).join(' ')}`);
    } else if (ext === 'mft') {
      assert.equal(so.eContentType, OID.ctManifest);
      const m = decodeManifest(so.eContent);
      assert.equal(so.ee.notBefore.value.getTime(), m.thisUpdate.getTime(), `${f}: EE validity starts at thisUpdate`);
      assert.equal(so.ee.notAfter.value.getTime(), m.nextUpdate.getTime(), `${f}: EE validity ends at nextUpdate`);
      const ip = decodeIpAddrBlocks(eeExt.get(OID.ipAddrBlocks)!.extnValue.valueBlock.valueHexView);
      assert.deepEqual(ip, { ipv4: 'inherit', ipv6: 'inherit' }, `${f}: manifest EE inherits IP resources`);
      assert.equal(decodeAsIdentifiers(eeExt.get(OID.autonomousSysIds)!.extnValue.valueBlock.valueHexView), 'inherit');
      const dir = f.slice(0, f.lastIndexOf('/') + 1);
      const keyName = f.slice(dir.length, -4);
      for (const entry of m.files) {
        const hash = createHash('sha256').update(readFileSync(join(repo, dir, entry.name))).digest('hex');
        assert.equal(Buffer.from(entry.hash).toString('hex'), hash, `${f}: hash of ${entry.name}`);
      }
      // every file of this CA key in the directory is listed (its CRL, its objects, for the TA its children)
      const listed = new Set(m.files.map((x) => x.name));
      assert.ok(listed.has(`${keyName}.crl`), `${f}: lists its CRL`);
      for (const other of files.filter((x) => x.startsWith(dir) && x !== f && !x.slice(dir.length).includes('/'))) {
        assert.ok(listed.has(other.slice(dir.length)), `${f}: lists ${other}`);
      }
    } else {
      assert.equal(so.eContentType, OID.ctAspa);
      const a = decodeAspa(so.eContent);
      assert.deepEqual(a, { customer: 64496n, providers: [64499n, 64511n], profile: 'current' });
      assert.deepEqual(decodeAsIdentifiers(eeExt.get(OID.autonomousSysIds)!.extnValue.valueBlock.valueHexView), [{ family: 'asn', start: 64496n, end: 64496n }]);
      assert.ok(!eeExt.has(OID.ipAddrBlocks), `${f}: ASPA EE carries no IP resources`);
    }
  }
  assert.deepEqual(seen, { roa: 3, mft: 3, asa: 1 });
});
