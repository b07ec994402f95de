import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, login, type TestApp } from '../../../../test/harness';
import type { RunningServer } from '../../../server';
import { closeClients, connect, startRealtime, waitFor } from '../../../realtime/__tests__/support';
import { electricianWithWallet, titles, wallet, withdraw } from './payout-helpers';

let t: TestApp;
let realtime: { server: RunningServer; url: string };

beforeAll(async () => {
  t = await createTestApp({ env: { SETTLEMENT_DELAY_DAYS: '0', WITHDRAW_REVIEW_FEN: '5000' } });
  realtime = await startRealtime(t.c);
}, 60_000);

afterAll(async () => {
  closeClients();
  await realtime?.server.stop(1000);
  await t?.close();
});

describe('withdrawals in dev pay mode', () => {
  it('when the electrician confirms through the dev endpoint, then a signed transfer notify goes through the real handler and the withdrawal succeeds once', async () => {
    expect(t.c.wxpay.mode).toBe('dev');
    const o = await electricianWithWallet(t, 'dev-withdraw');
    const res = await withdraw(t, o.electrician, 2000);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      status: 'wait_user_confirm',
      packageInfo: expect.any(String),
      mchId: t.c.wxpay.mchid,
      appId: t.c.wxpay.appid,
    });
    const { withdrawalNo } = res.body.data;

    const verify = vi.spyOn(t.c.wxpay, 'verifyNotify');
    const confirmed = await t.http.post(`/api/dev/withdrawals/${withdrawalNo}/confirm`).set(o.electrician.auth).send({});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data).toMatchObject({ withdrawalNo, status: 'succeeded' });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.results[0]?.value).toBe(true);
    verify.mockRestore();
    const again = await t.http
      .post(`/api/dev/withdrawals/${withdrawalNo}/confirm`)
      .set(o.electrician.auth)
      .send({ result: 'FAIL' });
    expect(again.body.data.status).toBe('succeeded');
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 5200, withdrawing: 0, withdrawn: 2000 });
    expect((await t.http.get(`/api/withdrawals/${withdrawalNo}`).set(o.electrician.auth)).body.data.status).toBe('succeeded');
  });

  it('when the dev endpoint fails the transfer, then the money comes back; a withdrawal in review has no bill to confirm; no one else may confirm', async () => {
    const o = await electricianWithWallet(t, 'dev-withdraw-fail');
    const { withdrawalNo } = (await withdraw(t, o.electrician, 1000)).body.data;
    const stranger = await login(t, 'dev-withdraw-stranger');
    expect((await t.http.post(`/api/dev/withdrawals/${withdrawalNo}/confirm`).set(stranger.auth).send({})).status).toBe(403);
    const other = await electricianWithWallet(t, 'dev-withdraw-other');
    expect((await t.http.post(`/api/dev/withdrawals/${withdrawalNo}/confirm`).set(other.electrician.auth).send({})).status).toBe(
      404,
    );

    const failed = await t.http
      .post(`/api/dev/withdrawals/${withdrawalNo}/confirm`)
      .set(o.electrician.auth)
      .send({ result: 'FAIL' });
    expect(failed.body.data).toMatchObject({ status: 'failed', reason: 'DEV_FAIL' });
    expect(await wallet(t, o.electrician)).toMatchObject({ available: 7200, withdrawing: 0 });

    const review = (await withdraw(t, o.electrician, 5000)).body.data;
    expect(review.status).toBe('reviewing');
    const early = await t.http.post(`/api/dev/withdrawals/${review.withdrawalNo}/confirm`).set(o.electrician.auth).send({});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('INVALID_TRANSITION');
    const bad = await t.http
      .post(`/api/dev/withdrawals/${review.withdrawalNo}/confirm`)
      .set(o.electrician.auth)
      .send({ result: 'MAYBE' });
    expect(bad.status).toBe(400);
    expect(await titles(t, o.electrician)).toEqual(expect.arrayContaining(['提现失败', '提现申请已提交']));
  });

  it("when a withdrawal succeeds, then the electrician's notification is pushed on their socket", async () => {
    const o = await electricianWithWallet(t, 'dev-withdraw-live');
    const socket = await connect(realtime.url, o.electrician.token);
    const { withdrawalNo } = (await withdraw(t, o.electrician, 1200)).body.data;
    const pushed = waitFor(socket, 'notification', (n) => n.title === '提现成功');
    await t.http.post(`/api/dev/withdrawals/${withdrawalNo}/confirm`).set(o.electrician.auth).send({});
    expect(await pushed).toMatchObject({ type: 'system', content: expect.stringContaining('¥12.00') });
  });

  it('when a transfer notify is not signed by the dev platform key, then 401 even in dev mode', async () => {
    const res = await t.http
      .post('/api/payments/transfer-notify')
      .set({
        'Wechatpay-Serial': 'DEV0',
        'Wechatpay-Timestamp': String(Math.floor(t.clock.now().getTime() / 1000)),
        'Wechatpay-Nonce': 'n',
        'Wechatpay-Signature': 'x',
      })
      .set('Content-Type', 'application/json')
      .send('{"resource":{}}');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('INVALID_SIGNATURE');
  });
});
