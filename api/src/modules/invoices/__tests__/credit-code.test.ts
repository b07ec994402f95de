import { describe, expect, it } from 'vitest';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar, isCreditCode } from '../credit-code';
import { requestInvoiceBody } from '../invoices.schemas';
import { VALID_CREDIT_CODES } from './invoice-helpers';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('when real codes are checked, then each is valid and its check character is recomputed', () => {
    for (const code of VALID_CREDIT_CODES) {
      expect(isCreditCode(code)).toBe(true);
      expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
    }
  });

  it('when any one character of a real code is changed to another of the alphabet, then the code is refused', () => {
    let mutations = 0;
    for (const code of VALID_CREDIT_CODES) {
      for (let i = 0; i < 18; i += 1) {
        for (const c of CREDIT_CODE_ALPHABET) {
          if (c === code[i]) continue;
          const mutated = code.slice(0, i) + c + code.slice(i + 1);
          // One changed character always changes the weighted sum mod 31 (31 is prime, no weight is 0 mod 31).
          expect(isCreditCode(mutated), mutated).toBe(false);
          mutations += 1;
        }
      }
    }
    expect(mutations).toBe(VALID_CREDIT_CODES.length * 18 * 30);
  });

  it('when two neighbouring characters of a real code are swapped, then the code is refused', () => {
    for (const code of VALID_CREDIT_CODES)
      for (let i = 0; i < 16; i += 1) {
        if (code[i] === code[i + 1]) continue;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        expect(isCreditCode(swapped), swapped).toBe(false);
      }
  });

  it('when a code is too short or long, lower case, or uses a letter the standard leaves out (I O S V Z), then it is refused', () => {
    const [code] = VALID_CREDIT_CODES;
    expect(isCreditCode(code.slice(0, 17))).toBe(false);
    expect(isCreditCode(`${code}0`)).toBe(false);
    expect(isCreditCode(code.toLowerCase())).toBe(false);
    for (const letter of 'IOSVZ') {
      const first17 = `9135010${letter}M000100Y4`;
      expect(isCreditCode(first17 + creditCodeCheckChar(first17.replace(letter, '0')))).toBe(false);
    }
    expect(isCreditCode('')).toBe(false);
    expect(isCreditCode('91350100M000100Y4 ')).toBe(false);
  });

  it('when a request names a code in lower case or with spaces around it, then it is upper-cased and accepted', () => {
    const parsed = requestInvoiceBody.parse({
      titleType: 'company',
      title: '某公司',
      taxNumber: ` ${VALID_CREDIT_CODES[0].toLowerCase()} `,
    });
    expect(parsed.taxNumber).toBe(VALID_CREDIT_CODES[0]);
  });

  it('when a personal request sends an empty tax number or e-mail (a blank input), then they count as not given', () => {
    expect(requestInvoiceBody.parse({ titleType: 'personal', title: '张丽', taxNumber: '', email: ' ' })).toEqual({
      titleType: 'personal',
      title: '张丽',
    });
  });
});
