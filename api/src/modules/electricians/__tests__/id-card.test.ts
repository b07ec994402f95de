import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { randomIdCard } from '../../../../test/harness';
import { createIdCardCipher, idCardCheckChar, isValidIdCardNumber, maskIdCard } from '../id-card';

describe('ID-card number checksum (ISO 7064 MOD 11-2)', () => {
  it('when a published sample number is checked, then it is valid, with an upper- or lower-case X', () => {
    expect(idCardCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdCardNumber('11010519491231002X')).toBe(true);
    expect(isValidIdCardNumber('11010519491231002x')).toBe(true);
    expect(idCardCheckChar('33010619820315451')).toBe('7');
    expect(isValidIdCardNumber('330106198203154517')).toBe(true);
  });

  it('when any single check character is wrong, then the number is invalid', () => {
    const valid = '330106198203154517';
    const others = '0123456789X'.split('').filter((ch) => ch !== valid[17]);
    for (const ch of others) expect(isValidIdCardNumber(valid.slice(0, 17) + ch)).toBe(false);
  });

  it('when a digit is changed or two digits are swapped, then the checksum catches it', () => {
    expect(isValidIdCardNumber('330106198203154527')).toBe(false);
    expect(isValidIdCardNumber('330106198203145517')).toBe(false);
  });

  it('when the shape or the birth date is wrong, then the number is invalid even with a matching check character', () => {
    const withCheck = (first17: string) => first17 + idCardCheckChar(first17);
    expect(isValidIdCardNumber(withCheck('33010619820230451'))).toBe(false); // 30 February
    expect(isValidIdCardNumber(withCheck('33010619821315451'))).toBe(false); // month 13
    expect(isValidIdCardNumber(withCheck('33010618820315451'))).toBe(false); // born 1882
    expect(isValidIdCardNumber(withCheck('03010619820315451'))).toBe(false); // area code starts with 0
    expect(isValidIdCardNumber('33010619820315451')).toBe(false);
    expect(isValidIdCardNumber('3301061982031545171')).toBe(false);
    expect(isValidIdCardNumber('33010619820315451A')).toBe(false);
    expect(isValidIdCardNumber('330106820315451')).toBe(false); // the old 15-digit form
    expect(isValidIdCardNumber('')).toBe(false);
  });

  it('when the test harness generates numbers, then each is valid and they differ', () => {
    const numbers = Array.from({ length: 200 }, () => randomIdCard());
    for (const n of numbers) expect(isValidIdCardNumber(n)).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

describe('ID-card cipher (AES-256-GCM)', () => {
  const key = randomBytes(32);
  const cipher = createIdCardCipher(key);
  const plain = '330106198203154517';

  it('when a number is encrypted, then it decrypts back, the stored text does not contain it and every encryption differs', () => {
    const a = cipher.encrypt(plain);
    const b = cipher.encrypt(plain);
    expect(cipher.decrypt(a)).toBe(plain);
    expect(a).not.toBe(b);
    expect(a).not.toContain(plain);
    expect(Buffer.from(a, 'base64').toString('latin1')).not.toContain(plain);
  });

  it('when one byte of the ciphertext, the tag or the IV is changed, then decryption fails instead of returning garbage', () => {
    const stored = Buffer.from(cipher.encrypt(plain), 'base64');
    for (const index of [0, 12, 27, 28, stored.length - 1]) {
      const tampered = Buffer.from(stored);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(() => cipher.decrypt(tampered.toString('base64'))).toThrow();
    }
  });

  it('when another key decrypts, then it fails; when the key is not 32 bytes, then the cipher refuses it', () => {
    const stored = cipher.encrypt(plain);
    expect(() => createIdCardCipher(randomBytes(32)).decrypt(stored)).toThrow();
    expect(() => createIdCardCipher(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('when a number is hashed, then the hash is stable, ignores the case of X and depends on the key', () => {
    expect(cipher.hash('11010519491231002x')).toBe(cipher.hash('11010519491231002X'));
    expect(cipher.hash(plain)).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.hash(plain)).not.toBe(cipher.hash('11010519491231002X'));
    expect(createIdCardCipher(randomBytes(32)).hash(plain)).not.toBe(cipher.hash(plain));
  });

  it('when a number is masked, then only its last four characters remain, at full length', () => {
    expect(maskIdCard('451X')).toBe('**************451X');
    expect(maskIdCard('451X')).toHaveLength(18);
  });
});
