import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, type TestApp } from '../../../../test/harness';
import { sharesPortOf } from '../../payments';
import { reconcileWallets, walletReadsOf } from '../index';
import { electricianWithWallet, wallet, withdraw } from './payout-helpers';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { SETTLEMENT_DELAY_DAYS: '0' } });
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('concurrent withdrawals', () => {
  it('when 20 withdrawals of 60% of the balance arrive at once, then exactly one succeeds and the balances stay consistent', async () => {
    const o = await electricianWithWallet(t, 'pay-race'); // 7200 available
    const amount = Math.floor(7200 * 0.6);
    const results = await Promise.all(Array.from({ length: 20 }, () => withdraw(t, o.electrician, amount)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect(await count(t.db, 'withdrawals', { electrician_id: o.electrician.electricianId })).toBe(1);
    expect(await count(t.db, 'wallet_ledger', { electrician_id: o.electrician.electricianId, type: 'withdraw_hold' })).toBe(1);
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 7200 - amount, withdrawing: amount, withdrawn: 0 });
    expect((await reconcileWallets(walletReadsOf(t.db), sharesPortOf(t.db))).consistent).toBe(true);
  });

  it('when the same withdrawal is retried 10 times at once with one key, then one withdrawal is made and every answer names it', async () => {
    const o = await electricianWithWallet(t, 'pay-retry-race');
    const key = 'same-key-for-every-retry';
    const results = await Promise.all(Array.from({ length: 10 }, () => withdraw(t, o.electrician, 1000, key)));
    const ok = results.filter((r) => r.status === 201);
    // A retry that finds the first still in progress is told so (409 REQUEST_IN_PROGRESS); none makes another.
    expect(results.every((r) => r.status === 201 || r.body.error?.code === 'REQUEST_IN_PROGRESS')).toBe(true);
    expect(new Set(ok.map((r) => r.body.data.withdrawalNo)).size).toBe(1);
    expect(await count(t.db, 'withdrawals', { electrician_id: o.electrician.electricianId })).toBe(1);
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 6200, withdrawing: 1000 });
  });
});
