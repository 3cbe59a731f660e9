/**
 * RRDP over HTTPS (RFC 8182): rpki-client in its default mode and FORT with rsync disabled fetch the TA
 * certificate and every publication point from our fastify HTTPS listener (a throwaway local CA, passed
 * through SSL_CERT_FILE / --http.ca-path), with the rsync daemon deliberately off. Zero problems and VRPs equal
 * to the ROAs, across snapshot and deltas: initial, transfer, return, rollover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerRpkiRoutes, startRpkiService, type RpkiService } from '../../src/rpki/index.js';
import { HAVE, expectedVrps, makeTestTls, publicTempDir, runFort, runRpkiClient } from './peers.js';
import { NIR_RESOURCES, STAGES, expectedFor, input } from './scenario.js';

const skip = !HAVE.openssl ? 'openssl not installed' : !HAVE.rpkiClient && !HAVE.fort ? 'neither rpki-client nor fort installed' : false;

test('relying parties over RRDP/HTTPS: initial, transfer, return, key rollover', { skip, timeout: 85_000 }, async (t) => {
  const base = publicTempDir('numreg-rpki-rrdp-');
  const tls = makeTestTls(join(base, 'tls'));
  let service: RpkiService | undefined;
  const app = Fastify({ https: { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } });
  registerRpkiRoutes(app, () => service);
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(async () => {
    await service?.close();
    await app.close();
    rmSync(base, { recursive: true, force: true });
  });
  const port = (app.server.address() as { port: number }).port;
  service = await startRpkiService({
    dataDir: join(base, 'data'),
    host: '127.0.0.1',
    rsyncPort: 0,
    rsync: false, // RRDP alone: a fallback to rsync would fail loudly
    httpsBaseUrl: `https://127.0.0.1:${port}`,
    taResources: NIR_RESOURCES,
  });
  const tal = readFileSync(service.talFile, 'utf8');
  assert.match(tal, new RegExp(`^# .*\\nhttps://127\\.0\\.0\\.1:${port}/rpki/ta\\.cer\\nrsync://`));
  const served = await app.inject({ method: 'GET', url: '/rpki/ta.tal' });
  assert.equal(served.body, tal);

  const validate = async (label: string, expected: string[]) => {
    assert.deepEqual(expectedVrps(service!.vrps()), expected, `${label}: the CA's own VRPs`);
    if (HAVE.rpkiClient) {
      const rc = await runRpkiClient({ tal: service!.talFile, base, rsyncOnly: false, env: { SSL_CERT_FILE: tls.bundle } });
      assert.deepEqual(rc.problems, [], `${label}: rpki-client problems\n${rc.output}`);
      assert.deepEqual(rc.vrps, expected, `${label}: rpki-client VRPs`);
      assert.ok(existsSync(join(rc.cacheDir, '.rrdp')), 'rpki-client used RRDP');
    }
    if (HAVE.fort) {
      const fort = await runFort({ tal: service!.talFile, base, mode: 'rrdp', capath: tls.capath });
      assert.deepEqual(fort.problems, [], `${label}: FORT problems\n${fort.output}`);
      assert.deepEqual(fort.vrps, expected, `${label}: FORT VRPs`);
    }
  };

  for (let stage = 0; stage < STAGES.length; stage++) {
    const before: { sessionId: string; serial: number } = service.rrdpSerial();
    await service.sync(input(stage));
    const after: { sessionId: string; serial: number } = service.rrdpSerial();
    assert.equal(after.sessionId, before.sessionId);
    assert.ok(after.serial > before.serial, 'a new RRDP serial per change');
    await validate(STAGES[stage]!.name, expectedFor(stage));
  }
  await service.startRollover('LIR-C');
  await validate('rollover staged', expectedFor(2));
  await service.finishRollover('LIR-C');
  await validate('rollover finished', expectedFor(2));

  const notification = await app.inject({ method: 'GET', url: '/rrdp/notification.xml' });
  assert.equal(notification.statusCode, 200);
  assert.match(notification.body, /<delta serial="\d+"/);
  assert.equal((await app.inject({ method: 'GET', url: '/rrdp/../ca-state.json' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'GET', url: '/rrdp/state.json' })).statusCode, 404);
});
