// @vitest-environment jsdom
/// <reference types="node" />
import { describe, expect, it, vi } from 'vitest';
import { pageModule, pageRealtime, placeOrder, SITE, upload } from '../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../test/live';
import { NETWORK_FAILURE, stateButton, type RenderedPage } from '../../../test/setup';
import { electricianPhone, locateAt, openPage, text, useLiveBridge } from '../../electrician/__tests__/support';

let api: LiveApi;
let bridge: LiveWx;
useLiveBridge(
  (started, phones) => {
    api = started;
    bridge = phones;
    locateAt(SITE);
  },
  { realtime: true },
);

const HALL = 'pages/hall/hall';
/** About 1.1 km north of SITE. */
const NEARBY = { latitude: SITE.latitude + 0.01, longitude: SITE.longitude };
const connected = () => eventually(() => expect(pageRealtime().status()).toBe('connected'));
const rowIds = (page: RenderedPage) => (page.instance.data as { orders: { id: number }[] }).orders.map((o) => o.id);
const tapGrab = (page: RenderedPage, id: number): Promise<void> => page.instance.onGrab({ currentTarget: { dataset: { id } } });

describe('抢单大厅', () => {
  it('when orders are pending nearby, then they are listed nearest first with masked contacts, and live pushes add and remove rows', async () => {
    const customer = await api.login('hall-cust-1');
    const far = await placeOrder(api, customer, { ...NEARBY, description: '卧室灯不亮，开关没反应' });
    const near = await placeOrder(api, customer, { description: '厨房插座冒火花，总闸跳闸' });
    await electricianPhone(api, bridge, 'hall-e1');

    const page = await openPage(HALL);
    await eventually(() => expect(rowIds(page)).toEqual([near.id, far.id]));
    const shown = text(page);
    expect(shown).toContain('厨房插座冒火花，总闸跳闸');
    expect(shown).toContain('王** 139****9000');
    expect(shown).toContain('电路故障');
    expect(shown).toContain('1.1 公里');
    expect(shown).not.toContain('文三路 100 号');
    await connected();

    const pushed = await placeOrder(api, await api.login('hall-cust-2'), { description: '热水器漏电，空开一直跳' });
    await eventually(() => expect(text(page)).toContain('热水器漏电，空开一直跳'));

    const rival = await api.loginAsElectrician('hall-rival-1');
    expect((await api.call('POST', `/api/orders/${pushed.id}/grab`, rival.token)).status).toBe(200);
    await eventually(() => expect(text(page)).not.toContain('热水器漏电，空开一直跳'));
    expect(rowIds(page)).toEqual([near.id, far.id]);
  });

  it('when filters are set, then the list and live pushes follow them, and the map shows the covered radius', async () => {
    const customer = await api.login('hall-cust-f');
    const lamp = await placeOrder(api, customer, { faultType: 'lighting', description: '客厅吊灯闪烁不停' });
    await electricianPhone(api, bridge, 'hall-e-filter');
    const page = await openPage(HALL);
    await eventually(() => expect(rowIds(page)).toContain(lamp.id));
    await connected();

    page.instance.onFaultChange({ detail: { value: '3' } });
    await eventually(() => expect(page.querySelector('.fault-filter')?.dom.textContent).toContain('灯具照明'));
    const lastHall = () => bridge.requests.filter((r) => r.url.startsWith('/api/orders/hall')).at(-1)?.url;
    await eventually(() => expect(lastHall()).toContain('faultType=lighting'));
    await eventually(() => expect(rowIds(page)).toEqual([lamp.id]));

    const circuit = await placeOrder(api, await api.login('hall-cust-f2'), { description: '插座烧黑了' });
    const lamp2 = await placeOrder(api, await api.login('hall-cust-f3'), { faultType: 'lighting', description: '走廊灯不亮' });
    await eventually(() => expect(rowIds(page)).toContain(lamp2.id));
    expect(rowIds(page)).not.toContain(circuit.id);

    page.instance.onRadiusChange({ detail: { value: '0' } });
    await eventually(() => expect(lastHall()).toContain('radiusKm=3'));
    page.instance.onToggleMap();
    await eventually(() => expect(page.querySelector('.map')).toBeTruthy());
    expect(page.querySelector('.map-toggle')?.dom.textContent).toBe('列表');
    expect((page.instance.data as { circles: { radius: number }[] }).circles[0].radius).toBe(3000);
    const markers = (page.instance.data as { markers: { id: number; latitude: number; longitude: number }[] }).markers;
    expect(markers[0].latitude).toBe(SITE.latitude);
    // Each listed order at its approximate (about 1 km) location.
    const orderMarkers = markers.slice(1);
    expect(orderMarkers.map((m) => m.id)).toEqual(rowIds(page));
    for (const m of orderMarkers) expect(Math.round(m.latitude * 100) / 100).toBe(m.latitude);
  });

  it('when no order is pending in the radius, then the empty state is shown', async () => {
    await electricianPhone(api, bridge, 'hall-e-empty', { latitude: 39.9, longitude: 116.4 });
    locateAt({ latitude: 39.9, longitude: 116.4 });
    try {
      const page = await openPage(HALL);
      await eventually(() => expect(text(page)).toContain('附近暂时没有待接的订单'));
      expect(page.querySelector('.hall-order')).toBeFalsy();
    } finally {
      locateAt(SITE);
    }
  });

  it('when the electrician is resting, then the hall asks them to go online; the 接单 switch goes online, lists the orders and rests again', async () => {
    const customer = await api.login('hall-cust-rest');
    const order = await placeOrder(api, customer, { description: '厨房插座没电' });
    const e = await electricianPhone(api, bridge, 'hall-e-off', { workStatus: 'offline' });
    const page = await openPage(HALL);
    await eventually(() =>
      expect(page.querySelector('.hall-offline')?.dom.textContent).toContain('休息中，打开接单开关即可查看附近订单'),
    );
    expect(text(page)).toContain('休息');
    expect(page.querySelector('.hall-error')).toBeFalsy();
    expect((page.instance.data as { online: boolean }).online).toBe(false);

    page.instance.onOnlineChange({ detail: { value: true } } as never);
    await eventually(() => expect(rowIds(page)).toContain(order.id));
    expect((page.instance.data as { online: boolean }).online).toBe(true);
    expect(page.querySelector('.hall-offline')).toBeFalsy();
    expect(text(page)).toContain('接单中');
    expect((await api.rows('electricians', { id: e.electricianId }))[0].work_status).toBe('available');

    page.instance.onOnlineChange({ detail: { value: false } } as never);
    await eventually(() => expect(page.querySelector('.hall-offline')).toBeTruthy());
    expect(rowIds(page)).toEqual([]);
    expect((await api.rows('electricians', { id: e.electricianId }))[0].work_status).toBe('offline');
  });

  it('when an order is taken today, then the workspace header counts it in 今日接单 beside 今日收入 and 待结算', async () => {
    const customer = await api.login('hall-cust-today');
    const order = await placeOrder(api, customer, { description: '卫生间浴霸不工作' });
    await electricianPhone(api, bridge, 'hall-e-today');
    const page = await openPage(HALL);
    await eventually(() => expect(page.querySelector('.today-accepted')?.dom.textContent).toBe('0 单'));
    expect(page.querySelector('.today-income')?.dom.textContent).toBe('¥0.00');
    expect(page.querySelector('.today-pending')?.dom.textContent).toBe('¥0.00');
    await eventually(() => expect(rowIds(page)).toContain(order.id));

    await tapGrab(page, order.id);
    await (page.instance as unknown as { refresh(): Promise<void> }).refresh();
    expect(page.querySelector('.today-accepted')?.dom.textContent).toBe('1 单');
  });

  it('when the earnings cannot be read, then the header shows dashes and the hall still lists', async () => {
    await electricianPhone(api, bridge, 'hall-e-dash');
    bridge.intercept = (req) => (req.url.includes('/me/earnings') ? NETWORK_FAILURE : undefined);
    try {
      const page = await openPage(HALL);
      await eventually(() => expect((page.instance.data as { loading: boolean }).loading).toBe(false));
      expect(page.querySelector('.today-income')?.dom.textContent).toBe('--');
      expect(page.querySelector('.hall-error')).toBeFalsy();
    } finally {
      bridge.intercept = undefined;
    }
  });

  it('when the network fails, then the error and retry are shown, and retry loads the hall', async () => {
    await electricianPhone(api, bridge, 'hall-e-net');
    bridge.intercept = () => NETWORK_FAILURE;
    const page = await openPage(HALL);
    await eventually(() => expect(page.querySelector('.hall-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    // The header does not claim a status it could not load.
    expect(page.querySelector('.workbench__title')?.dom.textContent).toContain('接单状态未知');
    bridge.intercept = undefined;
    stateButton(page, '.hall-error')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.hall-error')).toBeFalsy());
    await eventually(() => expect(page.querySelector('.workbench__title')?.dom.textContent).toContain('接单中'));
  });

  it('when the grab wins, then the order opens in the order detail; when someone was faster, then 手慢了 is shown and the row removed', async () => {
    const customer = await api.login('hall-cust-3');
    const mine = await placeOrder(api, customer, { description: '配电箱有焦糊味' });
    const lost = await placeOrder(api, customer, { description: '楼道灯不亮了' });
    await electricianPhone(api, bridge, 'hall-e-grab');
    const page = await openPage(HALL);
    await eventually(() => expect(rowIds(page)).toEqual(expect.arrayContaining([mine.id, lost.id])));

    await tapGrab(page, mine.id);
    expect(bridge.navigations.at(-1)).toEqual({
      api: 'navigateTo',
      url: `/pages/electrician/order-detail/order-detail?id=${mine.id}`,
    });
    expect(rowIds(page)).not.toContain(mine.id);
    expect((await api.rows('orders', { id: mine.id }))[0].status).toBe('accepted');

    const rival = await api.loginAsElectrician('hall-rival-2');
    await api.call('POST', `/api/orders/${lost.id}/grab`, rival.token);
    await tapGrab(page, lost.id);
    expect(page.querySelector('.notice')?.dom.textContent).toBe('手慢了，订单已被其他师傅抢走');
    expect(bridge.toasts.at(-1)).toBe('手慢了，订单已被其他师傅抢走');
    expect(rowIds(page)).not.toContain(lost.id);
  });

  it('when an urgent order is dispatched to this electrician, then the offer counts down and accepting opens the order', async () => {
    const e = await electricianPhone(api, bridge, 'hall-e-offer', { emergencyAvailable: true });
    const page = await openPage(HALL);
    await connected();
    const order = await placeOrder(api, await api.login('hall-cust-4'), {
      urgentType: 'urgent',
      description: '全屋断电，有老人在家',
    });

    await eventually(() => expect(page.querySelector('.offer')?.dom.textContent).toContain('全屋断电，有老人在家'));
    const seconds = Number(page.querySelector('.offer__seconds')?.dom.textContent);
    expect(seconds).toBeGreaterThan(0);
    await page.instance.onAcceptOffer();
    expect(bridge.navigations.at(-1)?.url).toBe(`/pages/electrician/order-detail/order-detail?id=${order.id}`);
    expect(page.querySelector('.offer')).toBeFalsy();
    const [row] = await api.rows('orders', { id: order.id });
    expect([row.status, row.electrician_id]).toEqual(['accepted', e.electricianId]);
  });

  it('when a dispatch offer is rejected, then it closes on the page and the offer is recorded as rejected', async () => {
    const e = await electricianPhone(api, bridge, 'hall-e-reject', { emergencyAvailable: true });
    const page = await openPage(HALL);
    await connected();
    const order = await placeOrder(api, await api.login('hall-cust-6'), {
      urgentType: 'urgent',
      description: '电闸冒烟，需要马上处理',
    });
    await eventually(() => expect(page.querySelector('.offer')?.dom.textContent).toContain('电闸冒烟，需要马上处理'));
    await page.instance.onRejectOffer();
    expect(page.querySelector('.offer')).toBeFalsy();
    await eventually(async () => {
      const [offer] = await api.rows('dispatch_offers', { order_id: order.id, electrician_id: e.electricianId });
      expect(offer).toMatchObject({ status: 'rejected', reason: '暂时无法接单' });
    });
    expect((await api.rows('orders', { id: order.id }))[0].status).toBe('pending');
  });

  it('when the hall is open for an available electrician, then the location is reported over the socket on every interval', async () => {
    const timing = pageModule<{ ELECTRICIAN_TIMING: { locationIntervalMs: number } }>('utils/electrician.ts').ELECTRICIAN_TIMING;
    timing.locationIntervalMs = 150;
    try {
      const e = await electricianPhone(api, bridge, 'hall-e-loc');
      locateAt({ latitude: 30.2701, longitude: 120.1402 });
      await api.advance(60_000);
      const page = await openPage(HALL);
      const frames = () =>
        bridge.sockets
          .filter((s) => s.device === 'hall-e-loc')
          .flatMap((s) => s.sent.filter((f) => f.includes('update_location')));
      await eventually(() => expect(frames().length).toBeGreaterThanOrEqual(3));
      expect(JSON.parse(frames()[0].replace(/^42\d+/, ''))).toEqual([
        'update_location',
        { latitude: 30.2701, longitude: 120.1402 },
      ]);
      const [row] = await api.rows('electricians', { id: e.electricianId });
      expect(Number(row.current_latitude)).toBe(30.2701);

      page.instance.onHide();
      const sent = frames().length;
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(frames().length).toBe(sent);
    } finally {
      locateAt(SITE);
      timing.locationIntervalMs = 30_000;
    }
  });

  it('when the page is shown again after the socket was down, then it re-fetches and lists orders placed meanwhile', async () => {
    await electricianPhone(api, bridge, 'hall-e-resync');
    const page = await openPage(HALL);
    await connected();
    page.instance.onHide();
    pageRealtime().disconnect(); // the app went to the background
    const meanwhile = await placeOrder(api, await api.login('hall-cust-5'), { description: '阳台插座没电了' });
    expect(text(page)).not.toContain('阳台插座没电了');

    page.instance.onShow();
    await eventually(() => expect(rowIds(page)).toContain(meanwhile.id));
    await connected();
  });

  it('when the server drops the socket, then the hall reconnects and re-syncs the list from the API', async () => {
    await electricianPhone(api, bridge, 'hall-e-drop');
    const page = await openPage(HALL);
    await connected();
    const hallCalls = () => bridge.requests.filter((r) => r.url.startsWith('/api/orders/hall')).length;
    const before = hallCalls();
    await api.dropSockets();
    await eventually(() => expect(hallCalls()).toBeGreaterThan(before));
    await connected();
    expect(page.querySelector('.connection')?.dom.textContent).toBe('实时推送已连接');
  });

  it('when a card or a map marker is tapped, then a sheet shows the order (distinct title, photos full screen, distance, fees, masked contact) and 抢单 in it takes the order', async () => {
    const customer = await api.login('hall-cust-preview');
    const photo = await upload(api, customer, 'order', 'hall-preview');
    const order = await placeOrder(api, customer, { description: '卫生间浴霸不亮，开关有焦味', images: [photo.id] });
    const e = await electricianPhone(api, bridge, 'hall-e-preview');
    const page = await openPage(HALL);
    await eventually(() => expect(rowIds(page)).toContain(order.id));
    const card = page.querySelectorAll('.hall-order').find((c) => (c.dom.textContent ?? '').includes('卫生间浴霸不亮'))!;
    // The default title 电路故障维修 is not shown under the fault type 电路故障: the description leads.
    expect(card.dom.textContent).not.toContain('电路故障维修');
    card.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.preview')).toBeTruthy());
    expect(page.querySelector('.preview__headline')?.dom.textContent).toBe('卫生间浴霸不亮，开关有焦味');
    expect(page.querySelector('.preview__contact')?.dom.textContent).toBe('王** 139****9000');
    expect(page.querySelector('.preview__distance')?.dom.textContent).toMatch(/^\d+ 米/);
    expect(page.querySelector('.preview__visit-fee')?.dom.textContent).toMatch(/^¥\d+\.\d\d$/);

    const preview = vi.spyOn(wx, 'previewImage').mockImplementation((() => undefined) as never);
    page.querySelector('.preview__photo')!.dispatchEvent('tap');
    await eventually(() => expect(preview).toHaveBeenCalledTimes(1));
    const shown = preview.mock.calls[0][0] as { urls: string[]; current: string };
    expect(shown.urls).toHaveLength(1);
    expect(shown.current).toBe(shown.urls[0]);

    page.querySelector('.sheet__close')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.preview')).toBeFalsy());
    page.querySelector('.map-toggle')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.map')).toBeTruthy());
    const markers = (page.instance.data as { markers: { id: number; iconPath: string }[] }).markers;
    expect(markers.find((m) => m.id === order.id)?.iconPath).toBe('/assets/icons/marker-order.png');
    expect(markers[0].iconPath).toBe('/assets/icons/marker-me.png');
    page.querySelector('.map')!.dispatchEvent('markertap', { detail: { markerId: order.id } });
    await eventually(() => expect(page.querySelector('.preview__headline')?.dom.textContent).toBe('卫生间浴霸不亮，开关有焦味'));

    page.querySelector('.preview__grab')!.dispatchEvent('tap');
    await eventually(() =>
      expect(bridge.navigations.at(-1)?.url).toBe(`/pages/electrician/order-detail/order-detail?id=${order.id}`),
    );
    const [row] = await api.rows('orders', { id: order.id });
    expect([row.status, row.electrician_id]).toEqual(['accepted', e.electricianId]);
  });

  it('when location permission was refused, then the hall uses the last known position with a 去设置 banner, and allowing it in the settings reloads', async () => {
    await electricianPhone(api, bridge, 'hall-e-denied');
    const located = vi.spyOn(wx, 'getLocation').mockImplementation(((opts: WechatMiniprogram.GetLocationOption) => {
      opts.fail?.({ errMsg: 'getLocation:fail auth deny' } as never);
    }) as never);
    const page = await openPage(HALL);
    await eventually(() => expect(page.querySelector('.location-denied')?.dom.textContent).toContain('未开启位置权限'));
    expect(page.querySelector('.hall-error')).toBeFalsy();

    locateAt(SITE);
    const settings = vi.spyOn(wx, 'openSetting').mockImplementation(((opts: WechatMiniprogram.OpenSettingOption) => {
      opts.success?.({ authSetting: { 'scope.userLocation': true }, errMsg: 'openSetting:ok' } as never);
    }) as never);
    page.querySelector('.open-setting')!.dispatchEvent('tap');
    await eventually(() => expect(page.querySelector('.location-denied')).toBeFalsy());
    expect(settings).toHaveBeenCalledTimes(1);
    expect(located).toHaveBeenCalled();
  });

  it('when an available electrician opens the hall, then the screen is kept on until the hall is left; an offline one’s is not', async () => {
    const keep = vi.spyOn(wx, 'setKeepScreenOn').mockImplementation((() => undefined) as never);
    await electricianPhone(api, bridge, 'hall-e-screen');
    const page = await openPage(HALL);
    await eventually(() => expect(keep).toHaveBeenLastCalledWith({ keepScreenOn: true }));
    page.instance.onHide();
    expect(keep).toHaveBeenLastCalledWith({ keepScreenOn: false });
    // A re-sync that ends after the hall was left (a socket reconnecting) keeps the screen off.
    await (page.instance as unknown as { refresh(): Promise<void> }).refresh();
    expect(keep).toHaveBeenLastCalledWith({ keepScreenOn: false });
    page.instance.onUnload();

    keep.mockClear();
    await electricianPhone(api, bridge, 'hall-e-screen-off', { workStatus: 'offline' });
    await openPage(HALL);
    await eventually(() => expect(keep).toHaveBeenCalled());
    expect(keep).not.toHaveBeenCalledWith({ keepScreenOn: true });
  });
});
