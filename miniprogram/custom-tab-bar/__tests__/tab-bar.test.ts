// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { placeOrder, useLiveApi } from '../../test/journey';
import { bridgeWx, eventually, type LiveApi, type LiveSession } from '../../test/live';
import { NETWORK_FAILURE, renderPage, settle } from '../../test/setup';

let api: LiveApi;
useLiveApi((started) => (api = started));
const g = globalThis as unknown as { getCurrentPages?: () => { route: string }[] };

async function render(name: string, session: LiveSession | null, route: string, failNetwork = false) {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  if (session) await device.signIn(session);
  bridge.use(device);
  if (failNetwork) bridge.intercept = () => NETWORK_FAILURE;
  g.getCurrentPages = () => [{ route }];
  const bar = renderPage('custom-tab-bar/index');
  await settle();
  return { bridge, bar };
}

const tap = (index: number) => ({ currentTarget: { dataset: { index } } });
const text = (bar: ReturnType<typeof renderPage>, selector: string) => bar.querySelector(selector)?.dom.textContent ?? '';

describe('自定义 tab bar', () => {
  it('when a customer with unread messages is on the home tab, then the customer items show with the unread badge and switch pages', async () => {
    const customer = await api.login('tabs-c');
    await placeOrder(api, customer);
    // Notifications are written after the order commits (domain bus): wait for the first one.
    let unread = 0;
    await eventually(async () => {
      unread = (await api.rows('notifications', { user_id: customer.userId })).length;
      expect(unread).toBeGreaterThan(0);
    });
    const { bridge, bar } = await render('tabs-c', customer, 'pages/index/index');
    await eventually(() => expect(text(bar, '.tab-bar').replace(/\s+/g, '')).toBe(`首页订单消息${unread}我的`));
    expect(text(bar, '.tab-bar__item--active')).toBe('首页');
    await eventually(() => expect(text(bar, '.tab-bar__badge')).toBe(String(unread)));

    bar.instance.onSwitch(tap(1));
    bar.instance.onSwitch(tap(2));
    bar.instance.onSwitch(tap(0));
    expect(bridge.navigations).toEqual([
      { api: 'switchTab', url: '/pages/orders/orders' },
      { api: 'switchTab', url: '/pages/common/messages/messages' },
    ]);
  });

  it('when an electrician is signed in, then the electrician items show', async () => {
    const electrician = await api.loginAsElectrician('tabs-e');
    const { bridge, bar } = await render('tabs-e', electrician, 'pages/hall/hall');
    expect(text(bar, '.tab-bar').replace(/\s+/g, '')).toMatch(/^接单大厅我的订单消息\d*我的$/);
    expect(text(bar, '.tab-bar__item--active')).toBe('接单大厅');
    bar.instance.onSwitch(tap(1));
    bar.instance.onSwitch(tap(3));
    expect(bridge.navigations).toEqual([
      { api: 'switchTab', url: '/pages/orders/orders' },
      { api: 'switchTab', url: '/pages/me/me' },
    ]);
  });

  it('when nobody is signed in or the count cannot be read, then no badge shows', async () => {
    const anon = await render('tabs-anon', null, 'pages/index/index');
    expect(anon.bridge.requests).toHaveLength(0);
    expect(anon.bar.querySelector('.tab-bar__badge')).toBeFalsy();
    expect(text(anon.bar, '.tab-bar').replace(/\s+/g, '')).toBe('首页订单消息我的');

    const offline = await render('tabs-offline', await api.login('tabs-offline'), 'pages/common/messages/messages', true);
    expect(offline.bridge.requests.map((r) => r.url)).toEqual(['/api/messages/unread-count']);
    expect(offline.bar.querySelector('.tab-bar__badge')).toBeFalsy();
    expect(offline.bridge.toasts).toEqual([]);
    expect(text(offline.bar, '.tab-bar__item--active')).toBe('消息');
  });
});
