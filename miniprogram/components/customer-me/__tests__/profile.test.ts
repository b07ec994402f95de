// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { dataOf, placeOrder, useLiveApi } from '../../../test/journey';
import { bridgeWx, eventually, type LiveApi, type LiveSession } from '../../../test/live';
import { NETWORK_FAILURE, renderPage, settle } from '../../../test/setup';

let api: LiveApi;
useLiveApi((started) => (api = started));
const g = globalThis as unknown as { getCurrentPages?: () => { route: string }[] };

async function open(name: string, session: LiveSession | null) {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  if (session) await device.signIn(session);
  bridge.use(device);
  g.getCurrentPages = () => [{ route: 'pages/me/me' }];
  const page = renderPage('components/customer-me/index');
  page.instance.onShow();
  await eventually(() => expect(dataOf(page).loading).toBe(false));
  return { bridge, page };
}

const text = (page: ReturnType<typeof renderPage>, selector: string) => page.querySelector(selector)?.dom.textContent ?? '';

describe('我的', () => {
  it('when the customer has ordered and saved addresses, then the masked phone, the order count and the address book show', async () => {
    const customer = await api.login('mine');
    await api.call('POST', '/api/auth/bind-phone', customer.token, { code: 'dev-phone-13812345678' });
    const first = await placeOrder(api, customer);
    await api.call('POST', `/api/orders/${first.id}/cancel`, customer.token, { reason: '已自行修好' });
    const second = await placeOrder(api, customer);
    await api.call('POST', `/api/orders/${second.id}/cancel`, customer.token, { reason: '已自行修好' });
    await placeOrder(api, customer, { address: '浙江省杭州市滨江区江南大道 500 号 1 单元 202', region: '浙江省 杭州市 滨江区' });
    const place = { contactName: '李四', contactPhone: '13900001111', latitude: 30.2, longitude: 120.2 };
    for (const [address, tag] of [
      ['江南大道 500 号 1 单元 202', '家'],
      ['文三路 100 号 8 楼', '公司'],
      ['莫干山路 1 号 3 幢', undefined],
    ] as const)
      expect(
        (await api.call('POST', '/api/addresses', customer.token, { ...place, region: '浙江省 杭州市', address, tag })).status,
      ).toBe(201);

    const { bridge, page } = await open('mine', customer);
    expect(text(page, '.phone')).toBe('手机 138****5678');
    expect(text(page, '.order-count')).toBe('3 单');
    // The default (the first saved) leads, with its tag, then the latest; the count says how many there are.
    expect(text(page, '.addresses')).toMatch(/默认\s*家\s*浙江省 杭州市 江南大道 500 号/);
    expect(text(page, '.addresses')).toContain('莫干山路 1 号');
    expect(text(page, '.addresses')).not.toContain('文三路 100 号 8 楼');
    expect(text(page, '.address-count')).toBe('3 个');
    page.querySelector('.entry-addresses')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: '/pages/user/addresses/addresses' });
    bridge.navigations.length = 0;
    expect(text(page, '.apply')).toContain('申请成为电工');

    page.instance.onOrders();
    page.instance.onCustomerService();
    page.instance.onApply();
    expect(bridge.navigations.map((n) => n.url)).toEqual([
      '/pages/orders/orders',
      '/pages/common/customer-service/customer-service',
      '/pages/electrician/apply/apply',
    ]);

    await page.instance.onLogout();
    expect(bridge.navigations.at(-1)).toEqual({ api: 'reLaunch', url: '/pages/index/index' });
    expect(bridge.current().storage.has('session.token')).toBe(false);
    const refreshed = await api.call('POST', '/api/auth/refresh', undefined, { refreshToken: customer.refreshToken });
    expect(refreshed.status).toBe(401);
  });

  it('when a new customer opens it, then the addresses section is empty', async () => {
    const { page } = await open('newbie', await api.login('newbie'));
    expect(text(page, '.no-addresses')).toContain('添加常用地址');
    expect(text(page, '.bind-phone')).toContain('未绑定手机');
    expect(text(page, '.order-count')).toBe('0 单');
  });

  it('when nobody is signed in, then it offers the login instead of calling the API', async () => {
    const { bridge, page } = await open('anon', null);
    expect(text(page, '.logged-out')).toContain('微信登录');
    expect(bridge.requests).toHaveLength(0);
    page.instance.onLogin();
    expect(bridge.navigations).toEqual([{ api: 'navigateTo', url: '/pages/login/login' }]);
  });

  it('when the profile cannot be loaded, then the error shows and retry loads it', async () => {
    const customer = await api.login('offline-me');
    const bridge = bridgeWx(api);
    const device = bridge.device('offline-me');
    await device.signIn(customer);
    bridge.use(device);
    bridge.intercept = () => NETWORK_FAILURE;
    const page = renderPage('components/customer-me/index');
    page.instance.onShow();
    await eventually(() => expect(text(page, '.load-error')).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    await page.instance.load();
    expect(text(page, '.nickname').length).toBeGreaterThan(0);
  });
});
