/**
 * CA lifecycle without the relying parties: keys sealed at rest, restart from saved state, manifest/CRL
 * renewal before nextUpdate (injected clock), revocation on re-issue and on removal, re-issue when the
 * repository URIs change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceSet } from '../../src/core/resource-set.js';
import { CaTree, MFT_RENEW_AFTER, type SyncInput } from '../../src/rpki/ca/tree.js';
import { generateRsaKey, type RsaKey } from '../../src/rpki/crypto.js';
import { openKeyVault } from '../../src/rpki/keystore.js';
import { decodeCrl } from '../../src/rpki/objects/crl.js';
import { decodeManifest } from '../../src/rpki/objects/mft.js';
import { decodeSignedObject } from '../../src/rpki/objects/signed.js';
import { startRpkiService } from '../../src/rpki/index.js';
import { Publisher } from '../../src/rpki/publish/publisher.js';
import { publicTempDir } from './peers.js';

const INPUT: SyncInput = {
  holders: [
    { handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, AS64496') },
    { handle: 'LIR-B', resources: ResourceSet.parse('198.51.100.0/24') },
  ],
  roas: [
    { holderHandle: 'LIR-A', prefix: '192.0.2.0/24', asn: 64496 },
    { holderHandle: 'LIR-B', prefix: '198.51.100.0/24', asn: 64497 },
  ],
};

let pool: RsaKey[] = [];
let n = 0;
const eeKey = async () => pool[n++ % pool.length]!;

function mftOf(tree: CaTree, dir: string) {
  const [path, der] = [...tree.files()].find(([p]) => p.startsWith(dir) && p.endsWith('.mft'))!;
  return { path, m: decodeManifest(decodeSignedObject(der).eContent) };
}
function crlOf(tree: CaTree, dir: string) {
  const [, der] = [...tree.files()].find(([p]) => p.startsWith(dir) && p.endsWith('.crl'))!;
  return decodeCrl(der);
}

test('CA keys are sealed at rest; the master key file is 0600 or comes from NUMREG_RPKI_KEY', async (t) => {
  const base = publicTempDir('numreg-rpki-keys-');
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const vault = openKeyVault(base, {});
  const keyFile = join(base, 'rpki', 'master.key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const sealed = vault.encrypt(new TextEncoder().encode('secret key bytes'));
  assert.doesNotMatch(sealed, /secret/);
  assert.equal(new TextDecoder().decode(vault.decrypt(sealed)), 'secret key bytes');
  assert.equal(new TextDecoder().decode(openKeyVault(base, {}).decrypt(sealed)), 'secret key bytes', 'same key file, same master key');
  const envVault = openKeyVault(join(base, 'other'), { NUMREG_RPKI_KEY: 'a passphrase' });
  assert.equal(envVault.source, 'NUMREG_RPKI_KEY');
  assert.ok(!existsSync(join(base, 'other', 'rpki', 'master.key')), 'no key file when the env supplies the key');
  assert.throws(() => envVault.decrypt(sealed), /unable to authenticate|Unsupported state/);
  const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.throws(() => vault.decrypt(tampered));

  // the service stores CA keys only sealed: no PKCS#8 (30 82 .. 02 01 00 30 0d 06 09 2a 86 48 86 f7 0d 01 01 01) in the state
  const svc = await startRpkiService({ dataDir: base, rsync: false });
  await assert.rejects(startRpkiService({ dataDir: base, rsync: false }), /in use by process/, 'one CA process per data directory');
  await svc.close();
  await (await startRpkiService({ dataDir: base, rsync: false })).close(); // the lock is released on close
  const state = readFileSync(join(base, 'rpki', 'ca-state.json'), 'utf8');
  assert.match(state, /"sealedKey":"v1:/);
  // Base64 DER (a key, a certificate) starts with "MII"; a sealed key's ciphertext may contain those letters
  // anywhere by chance, so look at whole values, not at the text.
  const values: string[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'string') values.push(x);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(JSON.parse(state));
  assert.deepEqual(values.filter((v) => /^MII[A-Za-z0-9+/]{20}/.test(v)), [], 'no base64 DER key material');
  assert.doesNotMatch(state, /PRIVATE KEY/);
});

test('restart, renewal before nextUpdate, revocation on re-issue and removal, URI change', { timeout: 85_000 }, async (t) => {
  const base = publicTempDir('numreg-rpki-ca-');
  t.after(() => rmSync(base, { recursive: true, force: true }));
  pool = await Promise.all([generateRsaKey(), generateRsaKey()]);
  let clock = new Date('2026-11-23T00:00:00Z');
  const opts = {
    stateFile: join(base, 'ca-state.json'),
    repoDir: join(base, 'repo'),
    vault: openKeyVault(base, { NUMREG_RPKI_KEY: 'k' }),
    rsyncBase: 'rsync://127.0.0.1:8873/repo/',
    taResources: ResourceSet.parse('0.0.0.0/0, ::/0, AS0 - AS4294967295'),
    now: () => clock,
    eeKey,
  };
  const publisher = new Publisher({ repoDir: opts.repoDir, rrdpDir: join(base, 'rrdp'), rsyncBase: opts.rsyncBase });
  const tree = await CaTree.open(opts);
  await tree.sync(INPUT);
  const aDir = 'ca/lir-a-';
  const first = mftOf(tree, aDir);
  assert.equal(first.m.nextUpdate.getTime() - first.m.thisUpdate.getTime(), 24 * 3600_000);

  // inside the window: nothing to do; past the renewal point: new manifest and CRL everywhere
  clock = new Date(clock.getTime() + 3600_000);
  assert.equal(await tree.renew(), false);
  clock = new Date(Date.parse('2026-11-23T00:00:00Z') + MFT_RENEW_AFTER + 1000);
  assert.equal(await tree.renew(), true);
  const second = mftOf(tree, aDir);
  assert.equal(second.m.number, first.m.number + 1n);
  assert.ok(second.m.nextUpdate > first.m.nextUpdate);
  assert.ok(second.m.nextUpdate.getTime() - clock.getTime() > 8 * 3600_000, 'renewed well before the old nextUpdate');

  // restart from the saved state: same keys, same objects, nothing re-issued
  publisher.publish(tree.files());
  const filesBefore = new Map(tree.files());
  const again = await CaTree.open(opts);
  assert.deepEqual(again.taKey().spki, tree.taKey().spki);
  assert.deepEqual(new Map(again.files()), filesBefore, 'the repository is reloaded as is');
  assert.deepEqual(again.vrps().map((v) => `${v.asn} ${v.holderHandle}`).sort(), ['64496 LIR-A', '64497 LIR-B']);

  // LIR-A's resources change: its certificate is re-issued and the old one revoked on the TA's CRL
  const oldCertSerials = crlOf(again, 'ta/').revoked;
  const report = await again.sync({ ...INPUT, holders: [{ handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/25, AS64496') }, INPUT.holders[1]!] });
  assert.deepEqual(report.skipped.map((s) => s.reason), ['prefix not covered by the holder’s resources']);
  assert.equal(report.withdrawn.length, 1);
  const taCrl = crlOf(again, 'ta/');
  assert.equal(taCrl.revoked.length, oldCertSerials.length + 1);
  const aCrl = crlOf(again, aDir);
  assert.equal(aCrl.revoked.length, 1, 'the withdrawn ROA’s EE certificate is revoked');

  // LIR-B disappears from the registry: its CA certificate is revoked, its publication point withdrawn
  await again.sync({ holders: [{ handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, AS64496') }], roas: INPUT.roas });
  assert.equal(crlOf(again, 'ta/').revoked.length, oldCertSerials.length + 3, 'A re-issued again + B revoked');
  assert.ok(![...again.files().keys()].some((p) => p.startsWith('ca/lir-b')));
  assert.deepEqual(mftOf(again, 'ta/').m.files.filter((f) => f.name.endsWith('.cer')).length, 1);

  publisher.publish(again.files());
  // new repository URIs (e.g. another rsync port): every object is re-issued with them
  const moved = await CaTree.open({ ...opts, rsyncBase: 'rsync://127.0.0.1:9999/repo/' });
  await moved.sync({ holders: [{ handle: 'LIR-A', resources: ResourceSet.parse('192.0.2.0/24, AS64496') }], roas: INPUT.roas });
  for (const der of moved.files().values()) assert.doesNotMatch(Buffer.from(der).toString('latin1'), /:8873\//);
  assert.deepEqual(moved.vrps().map((v) => `${v.asn}`), ['64496']);
});

test('without rsync installed the service says so in one line and serves RRDP alone', async (t) => {
  const base = publicTempDir('numreg-rpki-norsync-');
  const path = process.env.PATH;
  const lines: string[] = [];
  process.env.PATH = join(base, 'empty-bin');
  let svc: Awaited<ReturnType<typeof startRpkiService>> | undefined;
  t.after(async () => {
    process.env.PATH = path;
    await svc?.close();
    rmSync(base, { recursive: true, force: true });
  });
  svc = await startRpkiService({ dataDir: base, rsyncPort: 0, logger: { info: () => {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } as never });
  process.env.PATH = path;
  assert.equal(svc.rsyncPort, null);
  assert.equal(svc.rsyncNote, 'numreg: rsync not installed; the RPKI repository is served over RRDP only');
  assert.deepEqual(lines, [svc.rsyncNote]);
  assert.ok(existsSync(join(svc.rrdpDir, 'notification.xml')));
});
