/**
 * CA private keys at rest: AES-256-GCM under a master key from NUMREG_RPKI_KEY (64 hex digits, or any
 * passphrase, stretched with scrypt) or else from <dataDir>/rpki/master.key (created 0600 on first use).
 * Nothing here logs or returns key material except through `decrypt` to the CA itself.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface KeyVault {
  encrypt(plain: Uint8Array): string;
  decrypt(sealed: string): Uint8Array;
  /** Where the master key came from, for one startup line (never the key). */
  readonly source: string;
}

export function openKeyVault(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyVault {
  let master: Buffer;
  let source: string;
  const fromEnv = env.NUMREG_RPKI_KEY;
  if (fromEnv) {
    master = /^[0-9a-fA-F]{64}$/.test(fromEnv) ? Buffer.from(fromEnv, 'hex') : scryptSync(fromEnv, 'numreg-rpki-master-key', 32);
    source = 'NUMREG_RPKI_KEY';
  } else {
    const file = join(dataDir, 'rpki', 'master.key');
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    }
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    master = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (master.length !== 32) throw new Error(`${file}: expected 64 hex digits`);
    source = file;
  }
  return {
    source,
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', master, iv);
      const ct = Buffer.concat([c.update(plain), c.final()]);
      return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
    },
    decrypt(sealed) {
      const [v, iv, tag, ct] = sealed.split(':');
      if (v !== 'v1' || !iv || !tag || !ct) throw new Error('sealed key: unknown format');
      const d = createDecipheriv('aes-256-gcm', master, Buffer.from(iv, 'base64'));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      return new Uint8Array(Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]));
    },
  };
}
