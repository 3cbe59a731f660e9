/**
 * RSA-2048 / SHA-256 keys and signatures (RFC 7935) through Node's OpenSSL. Signing uses the callback form of
 * crypto.sign, which runs on libuv's thread pool, so independent signatures proceed on every core at once.
 */
import { createHash, hash as hashOnce, createPrivateKey, createPublicKey, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';

export interface RsaKey {
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** SHA-1 of the subjectPublicKey bits (RFC 6487 §4.8.2 key identifier). */
  keyId: Uint8Array;
}

export function keyFromPrivate(privateKey: KeyObject): RsaKey {
  const spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  return { privateKey, spki, keyId: keyIdOfSpki(spki) };
}

export function keyFromPkcs8(der: Uint8Array): RsaKey {
  return keyFromPrivate(createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }));
}

export function exportPkcs8(key: RsaKey): Uint8Array {
  return new Uint8Array(key.privateKey.export({ type: 'pkcs8', format: 'der' }));
}

export function generateRsaKey(): Promise<RsaKey> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 65537 }, (err, _pub, priv) =>
      err ? reject(err) : resolve(keyFromPrivate(priv)),
    ),
  );
}

export function keyIdOfSpki(spki: Uint8Array): Uint8Array {
  const res = asn1js.fromBER(spki);
  const seq = res.result as asn1js.Sequence;
  const bits = seq.valueBlock.value[1] as asn1js.BitString;
  return new Uint8Array(createHash('sha1').update(bits.valueBlock.valueHexView).digest());
}

/**
 * Signatures handed to the thread pool and not finished yet, and how often one finished while fewer than
 * `poolSize` others were waiting (a thread may then have had nothing to do): the bench reports both.
 */
export const signQueue = { inFlight: 0, completed: 0, belowPool: 0, poolSize: Number(process.env.UV_THREADPOOL_SIZE) || 4 };

export function signSha256(key: KeyObject, data: Uint8Array): Promise<Uint8Array> {
  signQueue.inFlight++;
  return new Promise((resolve, reject) =>
    sign('sha256', data, key, (err, sig) => {
      signQueue.completed++;
      if (--signQueue.inFlight < signQueue.poolSize) signQueue.belowPool++;
      if (err) reject(err);
      else resolve(sig); // a Buffer is a Uint8Array: no copy
    }),
  );
}

export function sha256(data: Uint8Array): Uint8Array {
  return hashOnce('sha256', data, 'buffer') as Buffer;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
