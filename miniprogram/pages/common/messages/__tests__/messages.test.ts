// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceOrder, dataOf, pageRealtime, placeOrder } from '../../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveSession } from '../../../../test/live';
import { NETWORK_FAILURE, renderPage } from '../../../../test/setup';

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
});
afterAll(async () => {
  await api?.stop();
});
afterEach(() => {
  pageRealtime().disconnect();
  vi.restoreAllMocks();
});

async function open(name: string, session: LiveSession) {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  const page = renderPage('pages/common/messages/messages');
  page.instance.onLoad({});
  page.instance.onShow();
  await eventually(() => expect(dataOf(page).loading).toBe(false));
  return { bridge, page };
}

const unread = async (userId: number) => (await api.rows('notifications', { user_id: userId })).filter((n) => n.read_at === null);

describe('消息中心', () => {
  it('when there are no messages, then the empty state shows without badges', async () => {
    const { page } = await open('quiet', await api.login('quiet'));
    expect(page.querySelector('.empty')?.dom.textContent).toBe('暂无消息');
    expect(page.querySelector('.badge')).toBeFalsy();
  });

  it('when order messages arrive, then they list with unread badges; opening one reads it and read-all clears the rest', async () => {
    const customer = await api.login('busy');
    const electrician = await api.loginAsElectrician('busy-e');
    const order = await placeOrder(api, customer);
    await advanceOrder(api, order.id, electrician, customer, 'quoted');
    // Notifications are written after each step commits (domain bus): wait for the last step's.
    await eventually(async () => expect((await unread(customer.userId)).map((n) => n.title)).toContain('报价待确认'));

    const { bridge, page } = await open('busy', customer);
    await eventually(async () => {
      const now = await unread(customer.userId);
      expect(page.querySelector('.tab-all .badge')?.dom.textContent).toBe(String(now.length));
      expect(page.querySelector('.tab-order .badge')?.dom.textContent).toBe(String(now.filter((n) => n.type === 'order').length));
    });
    for (const title of ['工单已提交', '师傅已接单', '师傅已上门', '报价待确认']) expect(page.dom.textContent).toContain(title);

    const firstIndex = (dataOf(page).items as { id: number; orderId: number | null }[]).findIndex((i) => i.orderId === order.id);
    const firstId = (dataOf(page).items as { id: number }[])[firstIndex].id;
    await page.instance.onOpen({ currentTarget: { dataset: { index: firstIndex } } });
    expect((await api.rows('notifications', { id: firstId }))[0].read_at).not.toBeNull();
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/pages/user/order-detail/order-detail?id=${order.id}` });
    await eventually(async () => {
      const left = await unread(customer.userId);
      expect(left.map((n) => n.id)).not.toContain(firstId);
      expect(page.querySelector('.tab-all .badge')?.dom.textContent).toBe(String(left.length));
    });

    await page.instance.onReadAll();
    expect(await unread(customer.userId)).toHaveLength(0);
    await eventually(() => expect(page.querySelector('.badge')).toBeFalsy());
    expect(page.querySelector('.message--unread')).toBeFalsy();

    page.instance.onTab({ currentTarget: { dataset: { index: 4 } } });
    await eventually(() => expect(page.querySelector('.empty')?.dom.textContent).toBe('暂无消息'));
  });

  it('when a notification is pushed while the page is open, then it appears at the top with its badge', async () => {
    const customer = await api.login('live-msg');
    const electrician = await api.loginAsElectrician('live-msg-e');
    const order = await placeOrder(api, customer);
    const { page } = await open('live-msg', customer);
    await eventually(() => expect(pageRealtime().status()).toBe('connected'));
    const shown = (dataOf(page).items as unknown[]).length;
    await api.call('POST', `/api/orders/${order.id}/grab`, electrician.token);
    await eventually(() => expect((dataOf(page).items as unknown[]).length).toBeGreaterThan(shown));
    const pushed = (await unread(customer.userId)).at(-1);
    expect(page.querySelector('.message')?.dom.textContent).toContain(String(pushed?.title));
    await eventually(() => expect(page.querySelector('.tab-all .badge')).toBeTruthy());
  });

  it('when the messages cannot be loaded, then the error state shows and retry loads them', async () => {
    const bridge = bridgeWx(api);
    const device = bridge.device('offline-msg');
    await device.signIn(await api.login('offline-msg'));
    bridge.use(device);
    bridge.intercept = () => NETWORK_FAILURE;
    const page = renderPage('pages/common/messages/messages');
    page.instance.onShow();
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    await page.instance.reload();
    expect(page.querySelector('.empty')).toBeTruthy();
  });
});
