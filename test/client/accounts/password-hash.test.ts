// Password hashing with scrypt (default parameters) and the credential formats.
import { describe, expect, test } from 'vitest';
import { DEFAULT_ACCOUNT_SETTINGS } from '../../../src/config/account-settings.ts';
import { hashPassword, needsRehash, verifyPassword } from '../../../src/services/auth/password-hash.ts';
import { hashToken, looksLikeToken, newDeviceId, newToken } from '../../../src/services/auth/secrets.ts';

describe('password hashes', () => {
  test('default parameters: scrypt N=2^15, r=8, p=1, 16-byte salt, 32-byte key', async () => {
    const hash = await hashPassword('correct horse', DEFAULT_ACCOUNT_SETTINGS.passwordHash);
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(needsRehash(hash, DEFAULT_ACCOUNT_SETTINGS.passwordHash)).toBe(false);
  });

  test('salted: the same password hashes differently', async () => {
    const params = { logN: 10, r: 8, p: 1 };
    expect(await hashPassword('pw', params)).not.toBe(await hashPassword('pw', params));
  });

  test('parameters travel with the hash', async () => {
    const cheap = await hashPassword('pw', { logN: 8, r: 4, p: 2 });
    expect(cheap).toMatch(/^\$scrypt\$ln=8,r=4,p=2\$/);
    expect(await verifyPassword('pw', cheap)).toBe(true);
    expect(needsRehash(cheap, DEFAULT_ACCOUNT_SETTINGS.passwordHash)).toBe(true);
  });

  test('unicode passwords are normalised (NFKC)', async () => {
    const params = { logN: 10, r: 8, p: 1 };
    const hash = await hashPassword('caf\u00e9', params);
    expect(await verifyPassword('cafe\u0301', hash)).toBe(true);
  });

  test('malformed stored values never verify', async () => {
    for (const stored of ['', 'plaintext', '$scrypt$ln=99,r=8,p=1$AAAA$AAAA', '$bcrypt$xyz']) {
      expect(await verifyPassword('pw', stored)).toBe(false);
    }
  });
});

describe('credentials', () => {
  test('tokens are 256-bit random, prefixed by kind; hashes are SHA-256', () => {
    const access = newToken('access');
    expect(access).toMatch(/^tsat_[A-Za-z0-9_-]{43}$/);
    expect(newToken('refresh')).toMatch(/^tsrt_/);
    expect(newToken('login')).toMatch(/^tslt_/);
    expect(newToken('access')).not.toBe(access);
    expect(looksLikeToken('access', access)).toBe(true);
    expect(looksLikeToken('refresh', access)).toBe(false);
    expect(looksLikeToken('access', `${access}x`)).toBe(false);
    expect(hashToken(access)).toHaveLength(32);
  });

  test('device IDs are ten upper-case letters', () => {
    expect(newDeviceId()).toMatch(/^[A-Z]{10}$/);
  });
});

describe('logs', () => {
  test('the access_token query parameter is redacted from logged URLs', async () => {
    const { loggableUrl } = await import('../../../src/http/request-metrics.ts');
    expect(loggableUrl('/_matrix/client/v3/sync?since=s1&access_token=tsat_secret&timeout=0')).toBe(
      '/_matrix/client/v3/sync?since=s1&access_token=<redacted>&timeout=0',
    );
    expect(loggableUrl('/x?access_token=abc')).toBe('/x?access_token=<redacted>');
    expect(loggableUrl('/x?y=1')).toBe('/x?y=1');
  });
});
