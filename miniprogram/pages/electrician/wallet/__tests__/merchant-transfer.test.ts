// @vitest-environment jsdom
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../../api/test/fakes/wechatpay-server';
import { advanceOrder, placeOrder } from '../../../../test/journey';
import { eventually, type LiveApi, type LiveSession, type LiveWx } from '../../../../test/live';
import { settle } from '../../../../test/setup';
import { electricianPhone, openPage, useLiveBridge } from '../../__tests__/support';

// The live API in real WeChat Pay mode against the fake WeChat Pay v3 server: a withdrawal creates a
// signed merchant-transfer bill there, and the page hands its package to wx.requestMerchantTransfer.
// Shares settle at once (SETTLEMENT_DELAY_DAYS=0), so no clock has to move.
let fake: FakeWechatPay;
let api: LiveApi;
let bridge: LiveWx;
const fakeStarted = startFakeWechatPay().then((f) => (fake = f));
useLiveBridge(
  (started, phones) => {
    api = started;
    bridge = phones;
  },
  { env: await fakeStarted.then((f) => ({ ...f.env(), SETTLEMENT_DELAY_DAYS: '0' })) },
);
afterAll(async () => {
  await fake?.close();
});

type Confirm = (opts: WechatMiniprogram.RequestMerchantTransferOption) => void;
const w = wx as unknown as { requestMerchantTransfer?: Confirm };
/** WeChat's confirmation page, as the test plays it. */
let confirmPage: Confirm | undefined;
const calls: WechatMiniprogram.RequestMerchantTransferOption[] = [];
w.requestMerchantTransfer = (opts) => {
  calls.push(opts);
  confirmPage?.(opts);
};
afterEach(() => {
  calls.length = 0;
  confirmPage = undefined;
});

const text = (el: { dom: { textContent: string | null } } | null | undefined) => el?.dom.textContent ?? '';

/** Pays an order as WeChat Pay would: the prepay, then the signed success notify. */
async function pay(customer: LiveSession, orderId: number): Promise<void> {
  const created = await api.call<{ paymentNo: string }>('POST', '/api/payments', customer.token, { orderId });
  expect(created.status).toBe(200);
  const n = fake.successNotify(created.body.data.paymentNo);
  const res = await fetch(`${api.url}/api/payments/notify`, {
    method: 'POST',
    headers: { ...n.headers, 'content-type': 'application/json' },
    body: n.body,
  });
  expect(res.status).toBe(204);
}

/** WeChat Pay tells the API what became of a bill (a signed MCHTRANSFER.BILL.FINISHED notify). */
async function notify(outBillNo: string): Promise<void> {
  const n = fake.transferNotify(outBillNo);
  const res = await fetch(`${api.url}/api/payments/transfer-notify`, {
    method: 'POST',
    headers: { ...n.headers, 'content-type': 'application/json' },
    body: n.body,
  });
  expect(res.status).toBe(204);
}

async function settledElectrician(name: string) {
  const customer = await api.login(`${name}-cust`);
  const order = await placeOrder(api, customer);
  const e = await electricianPhone(api, bridge, name);
  await advanceOrder(api, order.id, e, customer, 'completed');
  await pay(customer, order.id);
  await api.runJobs();
  await eventually(async () => {
    const wallet = await api.call<{ withdrawable: number }>('GET', '/api/electricians/me/wallet', e.token);
    expect(wallet.body.data.withdrawable).toBeGreaterThan(2000);
  });
  return e;
}

describe('电工 · 提现到微信零钱（商家转账）', () => {
  it('the bill’s package goes to wx.requestMerchantTransfer; once the electrician confirms and WeChat Pay notifies, the money has arrived', async () => {
    await settledElectrician('transfer-e1');
    const page = await openPage('pages/electrician/wallet/wallet');
    await eventually(() => expect(page.querySelector('.available')).toBeTruthy());
    confirmPage = (opts) =>
      void (async () => {
        const bill = [...fake.bills.values()].find((b) => b.package_info === opts.package)!;
        fake.confirmTransfer(bill.out_bill_no);
        await notify(bill.out_bill_no);
        opts.success?.({ errMsg: 'requestMerchantTransfer:ok' } as never);
      })();

    page.instance.onAmountInput({ detail: { value: '20' } });
    await page.instance.onWithdraw();
    await eventually(() => expect(text(page.querySelector('.withdrawal'))).toContain('已到账'));
    expect(calls).toHaveLength(1);
    const [bill] = [...fake.bills.values()].filter((b) => b.openid === 'dev-transfer-e1');
    expect(bill).toMatchObject({ transfer_amount: 2000, state: 'SUCCESS' });
    expect(calls[0]).toMatchObject({ mchId: fake.mchid, appId: bill.appid, package: bill.package_info });
    expect(bill.package_info).toBeTruthy();
  });

  it('when the electrician leaves WeChat’s page without confirming, the withdrawal waits with 确认收款, which opens the page again', async () => {
    await settledElectrician('transfer-e2');
    const page = await openPage('pages/electrician/wallet/wallet');
    await eventually(() => expect(page.querySelector('.available')).toBeTruthy());
    confirmPage = (opts) => opts.fail?.({ errMsg: 'requestMerchantTransfer:fail cancel' } as never);
    page.instance.onAmountInput({ detail: { value: '15' } });
    await page.instance.onWithdraw();
    await settle(2);
    expect(bridge.toasts.at(-1)).toContain('未确认收款');
    await eventually(() => expect(text(page.querySelector('.withdrawal'))).toContain('待确认收款'));
    const button = page.querySelector('.withdrawal .confirm');
    expect(button).toBeTruthy();

    // Later, from the record: this time the electrician confirms.
    confirmPage = (opts) =>
      void (async () => {
        const bill = [...fake.bills.values()].find((b) => b.package_info === opts.package)!;
        fake.confirmTransfer(bill.out_bill_no);
        await notify(bill.out_bill_no);
        opts.success?.({ errMsg: 'requestMerchantTransfer:ok' } as never);
      })();
    button!.dispatchEvent('tap');
    await eventually(() => expect(text(page.querySelector('.withdrawal'))).toContain('已到账'));
    expect(calls).toHaveLength(2);
    expect(calls[1].package).toBe(calls[0].package);
  });
});
