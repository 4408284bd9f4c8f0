// Password hashing with scrypt (node:crypto, asynchronous: it runs on libuv's thread pool).
// Stored form, self-describing so parameters can change without invalidating old hashes:
//   $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt, unpadded base64>$<key, unpadded base64>
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHashSettings } from '../../config/account-settings.ts';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, params: PasswordHashSettings, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    // scrypt needs 128 * N * r * p bytes (plus a little); Node's default cap is 32 MiB.
    maxmem: 128 * 2 ** params.logN * params.r * params.p + 16 * 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64').replace(/=+$/, '');
}

export async function hashPassword(password: string, params: PasswordHashSettings): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params, KEY_LENGTH);
  return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

interface ParsedHash {
  params: PasswordHashSettings;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): ParsedHash | undefined {
  const m = FORMAT.exec(stored);
  if (!m) return undefined;
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.logN < 1 || params.logN > 24 || params.r < 1 || params.p < 1) return undefined;
  return { params, salt: Buffer.from(m[4] as string, 'base64'), key: Buffer.from(m[5] as string, 'base64') };
}

/** True when the password matches the stored hash (compared in constant time). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.key.length === 0) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** True when the stored hash was made with other parameters than the current ones. */
export function needsRehash(stored: string, params: PasswordHashSettings): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.params.logN !== params.logN || parsed.params.r !== params.r || parsed.params.p !== params.p;
}

/** Spends as long as a real verification, so unknown users cannot be told apart by timing. */
export async function burnPasswordCheck(password: string, params: PasswordHashSettings): Promise<void> {
  await derive(password, DUMMY_SALT, params, KEY_LENGTH);
}

const DUMMY_SALT = randomBytes(SALT_LENGTH);
