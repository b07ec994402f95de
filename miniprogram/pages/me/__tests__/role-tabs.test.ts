// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { useLiveApi } from '../../../test/journey';
import { bridgeWx, eventually, type LiveApi, type LiveSession } from '../../../test/live';
import { renderPage, settle } from '../../../test/setup';

let api: LiveApi;
useLiveApi((started) => (api = started));
const g = globalThis as unknown as { getCurrentPages?: () => { route: string }[] };

async function open(name: string, session: LiveSession, route: 'pages/orders/orders' | 'pages/me/me') {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  g.getCurrentPages = () => [{ route }];
  const page = renderPage(route);
  page.instance.onShow();
  await settle();
  return { bridge, page };
}

const flat = (page: ReturnType<typeof renderPage>) => (page.dom.textContent ?? '').replace(/\s+/g, '');

describe('按角色的标签页', () => {
  it('when a customer and an electrician open the 订单 tab, then each sees their own orders', async () => {
    const customer = await open('tabs-customer', await api.login('tabs-customer'), 'pages/orders/orders');
    await eventually(() => expect(flat(customer.page)).toContain('待接单'));
    expect(flat(customer.page)).not.toContain('待上门');
    expect(customer.bridge.requests.some((r) => r.url.includes('as=customer'))).toBe(true);

    const electrician = await open('tabs-electrician', await api.loginAsElectrician('tabs-electrician'), 'pages/orders/orders');
    await eventually(() => expect(flat(electrician.page)).toContain('待上门'));
    expect(electrician.bridge.requests.some((r) => r.url.includes('as=electrician'))).toBe(true);
  });

  it('when a customer’s application is approved, then 我的 takes them to the hall and shows the electrician workspace next time', async () => {
    const session = await api.login('tabs-approved');
    const { bridge, page } = await open('tabs-approved', session, 'pages/me/me');
    await eventually(() => expect(flat(page)).toContain('申请成为电工'));

    await api.loginAsElectrician('tabs-approved');
    page.instance.onShow();
    await eventually(() => expect(bridge.navigations).toContainEqual({ api: 'switchTab', url: '/pages/hall/hall' }));
    expect(bridge.toasts).toContain('认证已通过，进入接单大厅');
    page.instance.onShow();
    await eventually(() => expect(flat(page)).toContain('接单状态'));
  });
});
