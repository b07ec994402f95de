import { describe, expect, it } from 'vitest';
import { electricianShareOfRefunds, ratePpm, splitFee } from '../money';

describe('money', () => {
  it('when the fee is a whole number of fen, then it is exact and the shares add up', () => {
    expect(splitFee(8000, 0.1)).toEqual({ platformFee: 800, electricianAmount: 7200 });
  });

  it('when the fee falls on half a fen, then it rounds half up', () => {
    expect(splitFee(5, 0.1)).toEqual({ platformFee: 1, electricianAmount: 4 });
    expect(splitFee(15, 0.1)).toEqual({ platformFee: 2, electricianAmount: 13 });
    expect(splitFee(14, 0.1)).toEqual({ platformFee: 1, electricianAmount: 13 });
  });

  it('when the rate is not representable in binary (0.07), then the integer split is still exact', () => {
    expect(splitFee(10_000, 0.07)).toEqual({ platformFee: 700, electricianAmount: 9300 });
    expect(splitFee(1_050, 0.07)).toEqual({ platformFee: 74, electricianAmount: 976 });
  });

  it('when the rate is 0 or 1, then one side gets everything', () => {
    expect(splitFee(999, 0)).toEqual({ platformFee: 0, electricianAmount: 999 });
    expect(splitFee(999, 1)).toEqual({ platformFee: 999, electricianAmount: 0 });
  });

  it('when the amount is not integer fen or the rate is out of range, then it refuses', () => {
    expect(() => splitFee(10.5, 0.1)).toThrow(RangeError);
    expect(() => splitFee(-1, 0.1)).toThrow(RangeError);
    expect(() => ratePpm(1.5)).toThrow(RangeError);
    expect(ratePpm(0.1)).toBe(100_000n);
  });

  it('for every amount up to 10 000 fen, then the shares add up and the fee is the nearest fen', () => {
    for (let a = 0; a <= 10_000; a += 1) {
      const { platformFee, electricianAmount } = splitFee(a, 0.1);
      expect(platformFee + electricianAmount).toBe(a);
      expect(platformFee).toBe(Math.floor((a + 5) / 10));
    }
  });

  it('when refunds are partial, then the electrician part is proportional, half-up, on the cumulative sum', () => {
    // 8000 paid, 7200 to the electrician: refunding 3333 takes 2999.7 → 3000 of it.
    expect(electricianShareOfRefunds(3333, 7200, 8000)).toBe(3000);
    expect(electricianShareOfRefunds(8000, 7200, 8000)).toBe(7200);
    const steps = [1, 1, 1, 7997];
    let done = 0;
    let taken = 0;
    for (const s of steps) {
      const next = electricianShareOfRefunds(done + s, 7200, 8000);
      taken += next - electricianShareOfRefunds(done, 7200, 8000);
      done += s;
    }
    expect(taken).toBe(7200);
    expect(electricianShareOfRefunds(10, 0, 0)).toBe(0);
  });
});
