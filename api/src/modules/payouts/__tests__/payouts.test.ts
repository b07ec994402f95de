import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../test/fakes/wechatpay-server';
import { count, createTestApp, login, type TestApp } from '../../../../test/harness';
import { loginAsStaff } from '../../staff/__tests__/staff-helpers';
import { HOUR, MINUTE } from '../../../shared/clock';
import { sharesPortOf } from '../../payments';
import { completedOrder, completeOrderBetween } from '../../payments/__tests__/payment-helpers';
import { reconcileWallets, walletReadsOf } from '../index';
import { deliver, electricianWithWallet, newKey, settleAnother, titles, wallet, withdraw } from './payout-helpers';

let fake: FakeWechatPay;
let t: TestApp;
const NOTIFY = '/api/payments/transfer-notify';

beforeAll(async () => {
  fake = await startFakeWechatPay();
  t = await createTestApp({
    env: {
      ...fake.env(),
      SETTLEMENT_DELAY_DAYS: '0',
      WITHDRAW_REVIEW_FEN: '5000',
      WITHDRAW_DAILY_MAX_FEN: '10000',
    },
  });
  fake.now = () => t.clock.now();
}, 60_000);

afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const ROOT = path.resolve(__dirname, '../../../../..');
/** `npm run reconcile` on this app's database: its exit code and what it printed. */
const reconcileScript = (from: string, to: string) =>
  new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'scripts/reconcile.ts'), '--from', from, '--to', to],
      // Outside the repository: a developer's .env must not point it elsewhere.
      { cwd: os.tmpdir(), env: { ...process.env, DATABASE_URL: t.config.databaseUrl, NODE_ENV: 'test' } },
      (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
    );
  });
const reconcile = () => reconcileWallets(walletReadsOf(t.db), sharesPortOf(t.db));
const row = (withdrawalNo: string) => t.db('withdrawals').where({ withdrawal_no: withdrawalNo }).first();

describe('wallet and settlement credit', () => {
  it('when a share is settled, then it is credited to the wallet once (a redelivered event changes nothing) and pending settlement shows what is not settled yet', async () => {
    const o = await electricianWithWallet(t, 'pay-credit', { fake });
    const w = await wallet(t, o.electrician);
    expect(w).toMatchObject({ available: 7200, withdrawable: 7200, pendingSettlement: 0, withdrawing: 0, withdrawn: 0 });
    expect(w.ledger).toEqual([
      { id: expect.any(Number), type: 'settlement_credit', amount: 7200, orderId: o.orderId, createdAt: expect.any(String) },
    ]);

    // The same settlement delivered again (the outbox delivers at least once).
    const payment = await t.db('payments').where({ order_id: o.orderId }).first();
    const again = await t.c.services.payouts.creditSettlement({
      name: 'payment.settled',
      paymentId: payment.id,
      paymentNo: payment.payment_no,
      orderId: o.orderId,
      electricianId: o.electrician.electricianId,
      share: 7200,
      at: t.clock.now(),
    });
    expect(again).toBe(false);
    expect((await wallet(t, o.electrician)).available).toBe(7200);

    // A paid order not settled yet shows as pending settlement (the job has not run).
    const customer = await login(t, 'pay-credit-c2');
    const next = await completeOrderBetween(t, customer, o.electrician, 2000);
    const created = await t.http.post('/api/payments').set(customer.auth).send({ orderId: next.orderId });
    await deliver(t, '/api/payments/notify', fake.successNotify(created.body.data.paymentNo));
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 7200, pendingSettlement: 4500 });
    expect((await reconcile()).consistent).toBe(true);
  });

  it('when a refund took part of the share before settlement, then the wallet is credited the share net of it', async () => {
    const o = await completedOrder(t, 'pay-net', 5000); // 8000 paid: 7200 share
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    await deliver(t, '/api/payments/notify', fake.successNotify(created.body.data.paymentNo));
    const finance = await loginAsStaff(t, 'finance', 'finance-net');
    const refund = await t.http
      .post(`/api/admin/orders/${o.orderId}/refund`)
      .set(finance.auth)
      .send({ amount: 1000, reason: '部分退款' });
    expect(refund.status).toBe(200);
    await deliver(t, '/api/payments/refund-notify', fake.refundNotify(refund.body.data.refundNo));
    await t.c.services.payments.settleDue();
    await t.c.bus.drain();
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 6300, pendingSettlement: 0 });
    expect((await reconcile()).consistent).toBe(true);
  });

  it('when crediting fails after the settlement committed, then the outbox delivers it again and it is credited once', async () => {
    const o = await completedOrder(t, 'pay-redeliver', 5000);
    const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
    await deliver(t, '/api/payments/notify', fake.successNotify(created.body.data.paymentNo));
    const credit = vi.spyOn(t.c.services.payouts, 'creditSettlement').mockRejectedValueOnce(new Error('database went away'));
    await t.c.services.payments.settleDue();
    await t.c.bus.drain();
    expect(credit).toHaveBeenCalledTimes(1);
    credit.mockRestore();
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 0, pendingSettlement: 0 });
    expect((await reconcile()).problems.join('\n')).toContain(`${created.body.data.paymentNo}: settled share 7200`);
    t.clock.advance(2 * MINUTE);
    await t.c.bus.redeliver();
    await t.c.bus.drain();
    await t.c.bus.redeliver();
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 7200 });
    expect(await count(t.db, 'wallet_ledger', { electrician_id: o.electrician.electricianId })).toBe(1);
    expect((await reconcile()).consistent).toBe(true);
  });

  it('when a customer or an applicant asks for a wallet, then 403', async () => {
    const customer = await login(t, 'pay-not-electrician');
    expect((await t.http.get('/api/electricians/me/wallet').set(customer.auth)).status).toBe(403);
  });
});

describe('withdrawing below the review amount', () => {
  it('when an electrician withdraws, then the money is held in the same transaction, a transfer bill is created with the scene report, and the answer carries packageInfo, mchId and appId', async () => {
    const o = await electricianWithWallet(t, 'pay-direct', { fake });
    const key = newKey();
    const res = await withdraw(t, o.electrician, 3000, key);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      withdrawalNo: expect.stringMatching(/^W\d{23}$/),
      amount: 3000,
      status: 'wait_user_confirm',
      packageInfo: expect.any(String),
      mchId: fake.mchid,
      appId: expect.any(String),
    });
    const { withdrawalNo, packageInfo } = res.body.data;
    const bill = fake.bills.get(withdrawalNo)!;
    expect(bill).toMatchObject({
      transfer_scene_id: '1005',
      transfer_amount: 3000,
      openid: 'dev-pay-direct-e',
      notify_url: 'https://repair.example.com/api/payments/transfer-notify',
      user_recv_perception: '劳务报酬',
      transfer_scene_report_infos: [
        { info_type: '岗位类型', info_content: '电工' },
        { info_type: '报酬说明', info_content: '维修服务收入' },
      ],
      package_info: packageInfo,
    });
    expect(fake.calls.filter((c) => c.path.startsWith('/v3/fund-app/')).every((c) => c.verified)).toBe(true);
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 4200, withdrawing: 3000, withdrawn: 0 });

    // The same key and body answer the first withdrawal; another body with that key is refused.
    const replay = await withdraw(t, o.electrician, 3000, key);
    expect(replay.status).toBe(201);
    expect(replay.body.data.withdrawalNo).toBe(withdrawalNo);
    const reused = await withdraw(t, o.electrician, 2000, key);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await count(t.db, 'withdrawals', { electrician_id: o.electrician.electricianId })).toBe(1);

    // The electrician confirms in WeChat; the notify settles it — once, whatever follows.
    fake.confirmTransfer(withdrawalNo);
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo))).status).toBe(204);
    expect((await row(withdrawalNo)).status).toBe('succeeded');
    const after = await wallet(t, o.electrician);
    expect(after).toMatchObject({ available: 4200, withdrawing: 0, withdrawn: 3000 });
    expect(after.ledger.map((l) => [l.type, l.amount])).toEqual([
      ['withdraw_complete', -3000],
      ['withdraw_hold', -3000],
      ['settlement_credit', 7200],
    ]);
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo))).status).toBe(204);
    // Out of order: a FAIL (or a CANCELLED) for a bill that succeeded changes nothing.
    expect(
      (await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo, { transaction: { state: 'FAIL', fail_reason: 'X' } }))).status,
    ).toBe(204);
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo, { transaction: { state: 'CANCELLED' } }))).status).toBe(
      204,
    );
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 4200, withdrawing: 0, withdrawn: 3000 });
    expect(await count(t.db, 'wallet_ledger', { electrician_id: o.electrician.electricianId })).toBe(3);

    const mine = await t.http.get('/api/electricians/me/withdrawals').set(o.electrician.auth);
    expect(mine.body.data).toEqual([expect.objectContaining({ withdrawalNo, status: 'succeeded', amount: 3000 })]);
    expect(mine.body.data[0].packageInfo).toBeUndefined();
    expect(mine.body.pagination).toEqual({ page: 1, limit: 10, total: 1 });
    expect(await titles(t, o.electrician)).toEqual(expect.arrayContaining(['提现待确认收款', '提现成功']));
    expect((await reconcile()).consistent).toBe(true);
  });

  it('when a transfer fails, then the money comes back to available exactly once, however often the failure is told', async () => {
    const o = await electricianWithWallet(t, 'pay-fail', { fake });
    const res = await withdraw(t, o.electrician, 2500);
    const { withdrawalNo } = res.body.data;
    fake.failTransfer(withdrawalNo, 'ACCOUNT_FROZEN');
    const n = fake.transferNotify(withdrawalNo);
    expect((await deliver(t, NOTIFY, n)).status).toBe(204);
    expect((await deliver(t, NOTIFY, n)).status).toBe(204);
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo, { transaction: { state: 'SUCCESS' } }))).status).toBe(204);
    expect(await row(withdrawalNo)).toMatchObject({ status: 'failed', reason: 'ACCOUNT_FROZEN' });
    const w = await wallet(t, o.electrician);
    expect(w).toMatchObject({ available: 7200, withdrawing: 0, withdrawn: 0 });
    expect(w.ledger.map((l) => l.type)).toEqual(['withdraw_release', 'withdraw_hold', 'settlement_credit']);
    expect(await titles(t, o.electrician)).toContain('提现失败');
    expect((await reconcile()).consistent).toBe(true);
  });

  it('when a notify is forged, tampered with, stale or names an unknown bill, then it is refused and nothing changes', async () => {
    const o = await electricianWithWallet(t, 'pay-forged', { fake });
    const { withdrawalNo } = (await withdraw(t, o.electrician, 1000)).body.data;
    fake.confirmTransfer(withdrawalNo);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo, { signWith: other.privateKey }))).status).toBe(401);
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo, { tamperCiphertext: true }))).status).toBe(401);
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo, { timestampOffset: -600 }))).status).toBe(401);
    const unknown = await deliver(
      t,
      NOTIFY,
      fake.transferNotify(withdrawalNo, { transaction: { out_bill_no: 'W00000000000000000000000' } }),
    );
    expect(unknown.status).toBe(400);
    const wrongAmount = await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo, { transaction: { transfer_amount: 999 } }));
    expect(wrongAmount.status).toBe(400);
    expect((await row(withdrawalNo)).status).toBe('wait_user_confirm');
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 6200, withdrawing: 1000 });
  });

  it('when the amount is below the minimum, above the balance, or the key is missing, then a clear 4xx and nothing is written', async () => {
    const o = await electricianWithWallet(t, 'pay-rules', { fake });
    const small = await withdraw(t, o.electrician, 99);
    expect(small.status).toBe(400);
    expect(small.body.error.code).toBe('WITHDRAW_BELOW_MIN');
    const over = await withdraw(t, o.electrician, 7201);
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('INSUFFICIENT_BALANCE');
    const noKey = await t.http.post('/api/electricians/me/withdrawals').set(o.electrician.auth).send({ amount: 1000 });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('VALIDATION_FAILED');
    const bad = await withdraw(t, o.electrician, 10.5);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['body', 'amount']);
    expect(await count(t.db, 'withdrawals', { electrician_id: o.electrician.electricianId })).toBe(0);
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 7200, withdrawing: 0 });
  });

  it('when withdrawals pass the daily cap, then 409 WITHDRAW_LIMIT; money that came back frees the cap', async () => {
    const o = await electricianWithWallet(t, 'pay-cap', { fake, labourFee: 20000 }); // 23000 paid, 20700 share
    expect((await withdraw(t, o.electrician, 4000)).status).toBe(201);
    const second = await withdraw(t, o.electrician, 4000);
    expect(second.status).toBe(201);
    const third = await withdraw(t, o.electrician, 4000);
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('WITHDRAW_LIMIT');
    expect((await withdraw(t, o.electrician, 10001)).body.error.code).toBe('WITHDRAW_LIMIT');
    fake.failTransfer(second.body.data.withdrawalNo);
    await deliver(t, NOTIFY, fake.transferNotify(second.body.data.withdrawalNo));
    expect((await withdraw(t, o.electrician, 4000)).status).toBe(201);
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 20700 - 8000, withdrawing: 8000 });
  });

  it("when a complaint about an order is open, then that order's earnings are held back from withdrawal", async () => {
    const o = await electricianWithWallet(t, 'pay-held', { fake }); // 7200
    await settleAnother(t, o.customer, o.electrician, { fake, labourFee: 2000 }); // + 4500
    const complaint = await t.http
      .post(`/api/orders/${o.orderId}/complaints`)
      .set(o.customer.auth)
      .send({ type: 'quality', content: '修完第二天又跳闸了，请尽快处理' });
    expect(complaint.status).toBe(201);
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 11700, withdrawable: 4500, heldByComplaints: 7200 });
    const tooMuch = await withdraw(t, o.electrician, 4501);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('INSUFFICIENT_BALANCE');
    expect((await withdraw(t, o.electrician, 4500)).status).toBe(201);
  });
});

describe('withdrawals finance reviews', () => {
  it('when the amount is at or above the review amount, then it waits for finance; approval creates the bill, rejection gives the money back', async () => {
    const o = await electricianWithWallet(t, 'pay-review', { fake, labourFee: 20000 }); // 20700
    const res = await withdraw(t, o.electrician, 5000);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'reviewing', amount: 5000 });
    expect(res.body.data.packageInfo).toBeUndefined();
    const { withdrawalNo } = res.body.data;
    expect(fake.bills.has(withdrawalNo)).toBe(false);

    const finance = await loginAsStaff(t, 'finance');
    const agent = await loginAsStaff(t, 'agent');
    expect((await t.http.get('/api/admin/withdrawals').set(agent.auth)).status).toBe(403);
    const list = await t.http.get('/api/admin/withdrawals').query({ status: 'reviewing' }).set(finance.auth);
    expect(list.status).toBe(200);
    expect(list.body.data.map((w: { withdrawalNo: string }) => w.withdrawalNo)).toContain(withdrawalNo);
    expect(list.body.data.every((w: { status: string }) => w.status === 'reviewing')).toBe(true);
    expect(list.body.data.find((w: { withdrawalNo: string }) => w.withdrawalNo === withdrawalNo)).toMatchObject({
      electricianId: o.electrician.electricianId,
      electricianName: '测试电工',
      amount: 5000,
    });

    const approved = await t.http.post(`/api/admin/withdrawals/${withdrawalNo}/approve`).set(finance.auth);
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({
      status: 'wait_user_confirm',
      reviewedBy: finance.userId,
      packageInfo: expect.any(String),
    });
    expect(fake.bills.get(withdrawalNo)?.state).toBe('WAIT_USER_CONFIRM');
    const again = await t.http.post(`/api/admin/withdrawals/${withdrawalNo}/approve`).set(finance.auth);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_TRANSITION');
    const audit = await t.db('audit_logs').where({ actor_id: finance.userId });
    expect(audit.filter((a) => String(a.route).includes('/withdrawals/')).length).toBeGreaterThanOrEqual(2);

    const second = (await withdraw(t, o.electrician, 5000)).body.data;
    const rejected = await t.http
      .post(`/api/admin/withdrawals/${second.withdrawalNo}/reject`)
      .set(finance.auth)
      .send({ reason: '收款账户信息待核实' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.data).toMatchObject({ status: 'cancelled', reason: '收款账户信息待核实' });
    const badReject = await t.http.post(`/api/admin/withdrawals/${second.withdrawalNo}/reject`).set(finance.auth).send({});
    expect(badReject.status).toBe(400);
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 20700 - 5000, withdrawing: 5000 });
    expect(await row(second.withdrawalNo)).toMatchObject({ reviewed_by: finance.userId });
    expect(await titles(t, o.electrician)).toEqual(expect.arrayContaining(['提现申请已提交', '提现审核通过', '提现申请被驳回']));

    // The finance owner reads any withdrawal; another electrician does not.
    expect((await t.http.get(`/api/withdrawals/${withdrawalNo}`).set(finance.auth)).status).toBe(200);
    const stranger = await electricianWithWallet(t, 'pay-review-stranger', { fake });
    expect((await t.http.get(`/api/withdrawals/${withdrawalNo}`).set(stranger.electrician.auth)).status).toBe(404);
    expect((await reconcile()).consistent).toBe(true);
  });
});

describe('bills left pending', () => {
  it('when WeChat Pay could not be reached at creation, then the withdrawal answers approved and the job creates the bill later', async () => {
    const o = await electricianWithWallet(t, 'pay-crash', { fake });
    fake.failNextTransfers = 1;
    const res = await withdraw(t, o.electrician, 2000);
    expect(res.status).toBe(201);
    expect(res.body.data.status).toBe('approved');
    expect(fake.bills.has(res.body.data.withdrawalNo)).toBe(false);
    // A signature WeChat Pay rejects (401) is not a refusal of the transfer either: that one stays approved too.
    fake.distrustNextRequest = true;
    const distrusted = await withdraw(t, o.electrician, 1000);
    expect(distrusted.body.data.status).toBe('approved');
    t.clock.advance(2 * MINUTE);
    await t.c.services.payouts.syncPending();
    expect((await row(res.body.data.withdrawalNo)).status).toBe('wait_user_confirm');
    expect((await row(distrusted.body.data.withdrawalNo)).status).toBe('wait_user_confirm');
    expect(fake.bills.get(res.body.data.withdrawalNo)?.state).toBe('WAIT_USER_CONFIRM');
  });

  it('when the bill was created but its answer was lost, then the job finds it and creates it again for its package', async () => {
    const o = await electricianWithWallet(t, 'pay-lost', { fake });
    fake.loseNextTransferAnswer = true;
    const res = await withdraw(t, o.electrician, 2000);
    expect(res.body.data.status).toBe('approved');
    expect(fake.bills.get(res.body.data.withdrawalNo)?.state).toBe('WAIT_USER_CONFIRM');
    t.clock.advance(2 * MINUTE);
    await t.c.services.payouts.syncPending();
    const read = await t.http.get(`/api/withdrawals/${res.body.data.withdrawalNo}`).set(o.electrician.auth);
    expect(read.body.data).toMatchObject({
      status: 'wait_user_confirm',
      packageInfo: fake.bills.get(res.body.data.withdrawalNo)!.package_info,
    });
  });

  it('when the notify never comes, then reading the withdrawal (or the job) asks WeChat Pay and applies the result', async () => {
    const o = await electricianWithWallet(t, 'pay-missing', { fake });
    const a = (await withdraw(t, o.electrician, 1500)).body.data.withdrawalNo;
    const b = (await withdraw(t, o.electrician, 1500)).body.data.withdrawalNo;
    fake.confirmTransfer(a);
    fake.failTransfer(b);
    const read = await t.http.get(`/api/withdrawals/${a}`).set(o.electrician.auth);
    expect(read.body.data.status).toBe('succeeded');
    t.clock.advance(2 * MINUTE);
    await t.c.services.payouts.syncPending();
    expect((await row(b)).status).toBe('failed');
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 7200 - 1500, withdrawing: 0, withdrawn: 1500 });
  });

  it('when the electrician does not confirm within WITHDRAW_CONFIRM_HOURS, then the bill is cancelled through WeChat Pay and the money released once', async () => {
    const o = await electricianWithWallet(t, 'pay-expire', { fake });
    const { withdrawalNo } = (await withdraw(t, o.electrician, 2000)).body.data;
    t.clock.advance(23 * HOUR);
    await t.c.services.payouts.syncPending();
    expect((await row(withdrawalNo)).status).toBe('wait_user_confirm');
    t.clock.advance(HOUR + MINUTE);
    await t.c.services.payouts.syncPending();
    expect(fake.bills.get(withdrawalNo)?.state).toBe('CANCELLED');
    expect(await row(withdrawalNo)).toMatchObject({ status: 'cancelled', reason: '超时未确认收款' });
    // The cancellation's notify arrives too; and the job runs again: nothing more.
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo))).status).toBe(204);
    t.clock.advance(2 * MINUTE);
    await t.c.services.payouts.syncPending();
    // A day later the electrician signs in again.
    const again = await login(t, 'pay-expire-e');
    expect(await wallet(t, again)).toMatchObject({ available: 7200, withdrawing: 0 });
    expect(await count(t.db, 'wallet_ledger', { type: 'withdraw_release', electrician_id: o.electrician.electricianId })).toBe(1);
    expect(await titles(t, again)).toContain('提现已过期');
  });

  it('when the electrician confirmed and the money is on its way at the deadline, then the bill is not cancelled and its success is applied', async () => {
    const o = await electricianWithWallet(t, 'pay-transfering', { fake });
    const { withdrawalNo } = (await withdraw(t, o.electrician, 2000)).body.data;
    fake.bills.get(withdrawalNo)!.state = 'TRANSFERING';
    t.clock.advance(25 * HOUR);
    await t.c.services.payouts.syncPending();
    expect(fake.calls.some((c) => c.path.includes(`${withdrawalNo}/cancel`))).toBe(false);
    expect(await row(withdrawalNo)).toMatchObject({ status: 'wait_user_confirm', bill_state: 'TRANSFERING' });
    fake.confirmTransfer(withdrawalNo);
    t.clock.advance(2 * MINUTE);
    await t.c.services.payouts.syncPending();
    expect((await row(withdrawalNo)).status).toBe('succeeded');
  });

  it('when WeChat Pay refuses the transfer, then the withdrawal fails and the money comes back', async () => {
    const o = await electricianWithWallet(t, 'pay-refused', { fake });
    fake.refuseNextTransfer = 'NOT_ENOUGH';
    const res = await withdraw(t, o.electrician, 2000);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'failed', reason: expect.stringContaining('NOT_ENOUGH') });
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 7200, withdrawing: 0 });
  });
});

describe('account deletion, finance and reconciliation', () => {
  it('when a withdrawal is pending, then the account cannot be deleted (409 ACCOUNT_BUSY)', async () => {
    const o = await electricianWithWallet(t, 'pay-delete', { fake });
    await withdraw(t, o.electrician, 1000);
    const res = await t.http.post('/api/users/me/delete-account').set(o.electrician.auth).send({});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ACCOUNT_BUSY');
    expect(res.body.error.message).toContain('提现');

    // Once the withdrawal is over, the account can go; its withdrawals stay for the books without the openid.
    const { withdrawalNo } = (await t.http.get('/api/electricians/me/withdrawals').set(o.electrician.auth)).body.data[0];
    fake.confirmTransfer(withdrawalNo);
    expect((await deliver(t, NOTIFY, fake.transferNotify(withdrawalNo))).status).toBe(204);
    const deleted = await t.http.post('/api/users/me/delete-account').set(o.electrician.auth).send({});
    expect(deleted.status).toBe(200);
    expect((await row(withdrawalNo)).openid).not.toBe('dev-pay-delete-e');
  });

  it("when finance reads the reconciliation, then it carries the transfers' totals", async () => {
    const finance = await loginAsStaff(t, 'finance', 'finance-recon');
    const today = new Date(t.clock.now().getTime() + 8 * HOUR).toISOString().slice(0, 10);
    const from = new Date(t.clock.now().getTime() - 3 * 24 * HOUR).toISOString().slice(0, 10);
    const res = await t.http.get('/api/admin/finance/reconciliation').query({ from, to: today }).set(finance.auth);
    expect(res.status).toBe(200);
    const { transfers } = res.body.data;
    const all = await t.db('withdrawals').select('status', 'amount');
    const sum = (ss: string[]) => all.filter((w) => ss.includes(w.status)).reduce((a, w) => a + Number(w.amount), 0);
    expect(transfers.succeeded.amount).toBe(sum(['succeeded']));
    expect(transfers.pending.amount).toBe(sum(['reviewing', 'approved', 'wait_user_confirm']));
    expect(transfers.failed.amount).toBe(sum(['failed', 'cancelled']));
    expect(transfers.succeeded.count).toBeGreaterThan(0);
  });

  it('when a stored balance or a withdrawal disagrees with the ledger, then the reconcile check names it', async () => {
    expect(await reconcile()).toMatchObject({ consistent: true, problems: [] });
    const o = await electricianWithWallet(t, 'pay-recon', { fake });
    const { withdrawalNo } = (await withdraw(t, o.electrician, 1000)).body.data;
    await t.db('wallet_balances').where({ electrician_id: o.electrician.electricianId }).increment('available', 1);
    await t.db('withdrawals').where({ withdrawal_no: withdrawalNo }).update({ status: 'succeeded' });
    const r = await reconcile();
    expect(r.consistent).toBe(false);
    expect(r.problems).toEqual(
      expect.arrayContaining([
        `wallet of electrician ${o.electrician.electricianId}: stored available 6201, ledger says 6200`,
        `withdrawal ${withdrawalNo} (succeeded): ledger rows [withdraw_hold], expected [withdraw_hold, withdraw_complete]`,
      ]),
    );
    const day = new Date(t.clock.now().getTime() + 8 * HOUR).toISOString().slice(0, 10);
    const script = await reconcileScript('2026-01-01', day > '2026-01-01' ? day : '2026-01-01');
    expect(script.code).toBe(1);
    expect(script.stdout).toContain(`withdrawal ${withdrawalNo} (succeeded)`);
    expect(script.stdout).toContain('MISMATCH');
    await t.db('wallet_balances').where({ electrician_id: o.electrician.electricianId }).decrement('available', 1);
    await t.db('withdrawals').where({ withdrawal_no: withdrawalNo }).update({ status: 'wait_user_confirm' });
    expect((await reconcile()).consistent).toBe(true);
  });
});
