// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NETWORK_FAILURE, stateButton, fakeWx, ok, renderPage, settle } from '../../../test/setup';

const PRICES = [
  { faultType: 'circuit', name: '电路故障', visitFee: 3000, estimatedAmount: 15000, urgentSurcharge: 2000 },
  { faultType: 'lighting', name: '灯具维修', visitFee: 2000, estimatedAmount: 8050, urgentSurcharge: 2000 },
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('首页', () => {
  it('when the price table loads, then each fault type shows its visit fee and estimate in yuan', async () => {
    const fake = fakeWx((r) => (r.url.includes('/api/catalog/items') ? ok([]) : ok(PRICES)));
    const page = renderPage('pages/index/index');
    page.instance.onLoad({});
    await settle();
    expect(fake.requests.map((r) => r.url).sort()).toEqual([
      'http://api.test/api/catalog/items?category=labour',
      'http://api.test/api/orders/pricing',
    ]);
    const text = page.dom.textContent ?? '';
    expect(text).toContain('电路故障');
    expect(text).toContain('¥30.00');
    expect(text).toContain('¥150.00');
    expect(text).toContain('灯具维修');
    expect(text).toContain('¥80.50');
    expect(text).toContain('加急订单上门费和预估费用各加 ¥20.00');
    expect(text).toContain('我要报修');
    expect(text).not.toContain('我是电工');
  });

  it('when the price table fails to load, then the error and a retry are shown, and retry loads it', async () => {
    let calls = 0;
    fakeWx((r) => (r.url.includes('/api/catalog/items') ? ok([]) : ++calls === 1 ? NETWORK_FAILURE : ok(PRICES)));
    const page = renderPage('pages/index/index');
    page.instance.onLoad({});
    await settle();
    expect(page.dom.textContent).toContain('网络异常，请稍后重试');
    stateButton(page, '.load-error')!.dispatchEvent('tap');
    await settle();
    expect(page.dom.textContent).toContain('¥30.00');
  });
});
