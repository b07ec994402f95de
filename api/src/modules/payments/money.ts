/**
 * Money arithmetic of payments. Amounts are integer fen; rates are turned into integer parts per
 * million once, so every split is integer arithmetic with one explicit half-up rounding.
 */
const PPM = 1_000_000n;

/** `rate` (0..1) as integer parts per million; 0.1 → 100000. */
export function ratePpm(rate: number): bigint {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate must be within 0..1, got ${rate}`);
  return BigInt(Math.round(rate * 1_000_000));
}

function assertFen(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError(`amount must be a non-negative integer of fen, got ${amount}`);
}

/** round(a × n / d), half-up, in integers. */
function mulDivHalfUp(a: number, n: bigint, d: bigint): number {
  return Number((BigInt(a) * n * 2n + d) / (d * 2n));
}

/** The platform's fee and the electrician's share of a payment: they always add up to `amount`. */
export function splitFee(amount: number, rate: number): { platformFee: number; electricianAmount: number } {
  assertFen(amount);
  const platformFee = mulDivHalfUp(amount, ratePpm(rate), PPM);
  return { platformFee, electricianAmount: amount - platformFee };
}

/**
 * The electrician's part of refunds: round(refunded × electricianAmount / amount), half-up. Taken
 * on the cumulative refunded sum, so several partial refunds never drift from one full refund.
 */
export function electricianShareOfRefunds(refunded: number, electricianAmount: number, amount: number): number {
  assertFen(refunded);
  assertFen(electricianAmount);
  if (amount <= 0) return 0;
  return mulDivHalfUp(refunded, BigInt(electricianAmount), BigInt(amount));
}

/** Fen as shown to people: ¥123.00. */
export function formatYuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
