// @vitest-environment jsdom
import { createPublicKey, createVerify } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../../api/test/fakes/wechatpay-server';
import { advanceOrder, openOnPhone, placeOrder, QUOTE_TOTAL, useLiveApi } from '../../../../test/journey';
import { eventually, type LiveApi } from '../../../../test/live';
import { settle } from '../../../../test/setup';

// The live API in real WeChat Pay mode: its WXPAY_* point at a fake WeChat Pay v3 server, so
// POST /api/payments makes a signed JSAPI prepay and hands back the cashier's parameters.
let fake: FakeWechatPay;
let api: LiveApi;
useLiveApi(
  (started) => {
    api = started;
  },
  async () => {
    fake = await startFakeWechatPay();
    return fake.env();
  },
);
afterAll(async () => {
  await fake?.close();
});

const text = (selector: string, page: { querySelector(s: string): { dom: { textContent: string | null } } | null }) =>
  page.querySelector(selector)?.dom.textContent ?? '';

describe('订单支付（微信支付）', () => {
  it('when the customer taps pay, then wx.requestPayment gets the prepay answer signed by the merchant, and the notify pays the order', async () => {
    const customer = await api.login('wxpayer');
    const electrician = await api.loginAsElectrician('wxpayer-e');
    const order = await placeOrder(api, customer);
    await advanceOrder(api, order.id, electrician, customer, 'completed');

    const cashier: WechatMiniprogram.RequestPaymentOption[] = [];
    // WeChat's cashier: the customer pays, WeChat Pay tells the API (a signed notify), the cashier closes.
    const requestPayment = vi.spyOn(wx, 'requestPayment').mockImplementation(((opts: WechatMiniprogram.RequestPaymentOption) => {
      cashier.push(opts);
      void (async () => {
        const [payment] = await api.rows('payments', { order_id: order.id });
        const n = fake.successNotify(String(payment.payment_no));
        const res = await fetch(`${api.url}/api/payments/notify`, {
          method: 'POST',
          headers: { ...n.headers, 'content-type': 'application/json' },
          body: n.body,
        });
        expect(res.status).toBe(204);
        opts.success?.({ errMsg: 'requestPayment:ok' });
      })();
    }) as never);

    const { bridge, page } = await openOnPhone(api, 'wxpayer', customer, 'pages/user/payment/payment', {
      orderId: String(order.id),
    });
    await eventually(() => expect(text('.breakdown', page).replace(/\s+/g, '')).toContain('应付¥125.00'));
    page.querySelector('.pay')!.dispatchEvent('tap');
    await eventually(() => expect(page.dom.textContent).toContain('支付成功'));
    await settle(1);

    expect(requestPayment).toHaveBeenCalledTimes(1);
    const [payment] = await api.rows('payments', { order_id: order.id });
    const trade = fake.trades.get(String(payment.payment_no))!;
    expect(trade).toMatchObject({ amount: QUOTE_TOTAL, openid: 'dev-wxpayer', mchid: fake.mchid });
    expect(payment.prepay_id).toBe(trade.prepay_id);
    const { success, fail, complete, ...params } = cashier[0]!;
    expect([typeof success, typeof fail, complete]).toEqual(['function', 'function', undefined]);
    expect(Object.keys(params).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(params).toMatchObject({ package: `prepay_id=${trade.prepay_id}`, signType: 'RSA' });
    expect(params.timeStamp).toMatch(/^\d{10}$/);
    expect(params.nonceStr).toMatch(/^\w{16,32}$/);
    // The JSAPI signing rule: appid, timeStamp, nonceStr, package, each followed by a newline.
    const message = [trade.appid, params.timeStamp, params.nonceStr, params.package, ''].join('\n');
    const merchantPublic = createPublicKey(fake.merchantPrivateKeyPem);
    expect(createVerify('RSA-SHA256').update(message).verify(merchantPublic, params.paySign, 'base64')).toBe(true);
    // …and not over any other message (a paySign that verifies over anything would prove nothing).
    const tampered = [trade.appid, params.timeStamp, params.nonceStr, 'prepay_id=other', ''].join('\n');
    expect(createVerify('RSA-SHA256').update(tampered).verify(merchantPublic, params.paySign, 'base64')).toBe(false);

    // Real pay mode: no dev shortcut; the prepay went to WeChat Pay signed by the merchant.
    expect(bridge.requests.some((r) => r.url.startsWith('/api/dev/payments/'))).toBe(false);
    expect(fake.calls.filter((c) => c.path === '/v3/pay/transactions/jsapi')).toEqual([
      { method: 'POST', path: '/v3/pay/transactions/jsapi', verified: true },
    ]);
    expect(payment.status).toBe('paid');
    expect((await api.rows('orders', { id: order.id }))[0].payment_status).toBe('paid');
  });
});
