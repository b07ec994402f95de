import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * ID-card numbers are stored encrypted (AES-256-GCM, random IV, auth tag checked on decrypt) and
 * looked up by a keyed hash, so neither the table nor a backup reveals them.
 */
export function createIdCardCipher(key: Buffer) {
  if (key.length !== 32) throw new Error('ID card key must be 32 bytes');
  const hashKey = createHmac('sha256', key).update('id-card-hash').digest();
  return {
    encrypt(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
    },
    decrypt(stored: string): string {
      const buf = Buffer.from(stored, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
    },
    hash(plain: string): string {
      return createHmac('sha256', hashKey).update(plain.toUpperCase()).digest('hex');
    },
  };
}

export type IdCardCipher = ReturnType<typeof createIdCardCipher>;

/** Only the last four characters are ever shown: 330106199001011234 → **************1234 */
export function maskIdCard(last4: string, length = 18): string {
  return `****${'*'.repeat(Math.max(0, length - 8))}${last4}`;
}

const ID_CARD_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CARD_CHECK = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of the first 17 digits of a mainland ID-card number. */
export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_CARD_WEIGHTS[i]!;
  return ID_CARD_CHECK[sum % 11]!;
}

/**
 * A mainland 18-character ID-card number: 6-digit area code, a real birth date (YYYYMMDD, 1900–2099),
 * 3-digit sequence and the MOD 11-2 check character (a digit or X, either case).
 */
export function isValidIdCardNumber(value: string): boolean {
  const m = /^([1-9]\d{5})((?:19|20)\d{2})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[2]), Number(m[3]), Number(m[4])];
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (birth.getUTCFullYear() !== year || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day) return false;
  return idCardCheckChar(value.slice(0, 17)) === value[17]!.toUpperCase();
}
