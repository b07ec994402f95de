/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet without I, O, S, V
 * and Z; the last one is a check character over the first 17, weighted by 3^i mod 31 and taken
 * mod 31. A company's invoice title names it as the buyer's tax number (纳税人识别号).
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const SHAPE = new RegExp(`^[${CREDIT_CODE_ALPHABET}]{18}$`);

/** The check character for the first 17 characters of a code (which must be in the alphabet). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Whether an (upper-case) code has the standard's shape and its check character. */
export function isCreditCode(code: string): boolean {
  return SHAPE.test(code) && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}
