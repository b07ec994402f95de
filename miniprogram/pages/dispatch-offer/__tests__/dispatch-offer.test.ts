// @vitest-environment jsdom
/// <reference types="node" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electricianPhone, locateAt, openPage, text, useLiveBridge } from '../../electrician/__tests__/support';
import { pageModule, pageRealtime, placeOrder, SITE } from '../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../test/live';
import type { RenderedPage } from '../../../test/setup';

let api: LiveApi;
let bridge: LiveWx;
// Offers last the API's minimum, 5 s, so that a test can watch one run out.
useLiveBridge(
  (started, phones) => {
    api = started;
    bridge = phones;
    locateAt(SITE);
  },
  { realtime: true, env: { DISPATCH_OFFER_SECONDS: '5' } },
);

const OFFER_PAGE = 'pages/dispatch-offer/dispatch-offer';
const alerts = () => pageModule<{ startJobAlerts(): () => void; resumeJobAlerts(): void }>('services/job-alerts.ts');
const g = globalThis as unknown as { getCurrentPages?: () => { route: string }[] };
const seconds = (page: RenderedPage) => Number(page.querySelector('.countdown__number')?.dom.textContent);

let stop: () => void = () => undefined;
let page: RenderedPage | undefined;
/** This test's electrician: off duty afterwards, so that the next test's urgent order is offered to the next one. */
let onDuty: { token: string } | undefined;
beforeEach(() => {
  vi.spyOn(wx, 'createInnerAudioContext').mockImplementation((() => ({ src: '', stop() {}, play() {} })) as never);
  vi.spyOn(wx, 'vibrateLong').mockImplementation((() => undefined) as never);
});
afterEach(async () => {
  if (onDuty) {
    const off = await api.call('PATCH', '/api/electricians/me', onDuty.token, {
      emergencyAvailable: false,
      workStatus: 'offline',
    });
    expect(off.status).toBe(200);
  }
  onDuty = undefined;
  page?.instance.onUnload();
  page = undefined;
  stop();
  delete g.getCurrentPages;
});

/** An electrician reading 我的 gets an urgent order dispatched; the offer page opens for it. */
async function offered(name: string) {
  const e = await electricianPhone(api, bridge, name, { emergencyAvailable: true });
  onDuty = e;
  g.getCurrentPages = () => [{ route: 'pages/me/me' }];
  stop = alerts().startJobAlerts();
  alerts().resumeJobAlerts();
  await eventually(() => expect(pageRealtime().status()).toBe('connected'));
  const order = await placeOrder(api, await api.login(`${name}-cust`), {
    urgentType: 'urgent',
    description: '配电箱冒烟，闻到焦味',
  });
  await eventually(() =>
    expect(bridge.navigations).toContainEqual({ api: 'navigateTo', url: `/${OFFER_PAGE}?orderId=${order.id}` }),
  );
  page = await openPage(OFFER_PAGE, { orderId: String(order.id) });
  return { e, order, page };
}

describe('派单页：倒计时', () => {
  it('when nobody answers, then the countdown runs down to zero, the page says the offer went to another electrician and closes', async () => {
    const { order, page } = await offered('offer-timeout');
    const start = seconds(page);
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThanOrEqual(5);
    expect(page.querySelector('.accept')).toBeTruthy();

    await eventually(() => expect(text(page)).toContain('派单已超时，已转给其他师傅'), 8_000);
    expect(page.querySelector('.accept')).toBeFalsy();
    expect(page.querySelector('.countdown--closed')).toBeTruthy();
    await eventually(() => expect(bridge.navigations.at(-1)?.api).toBe('navigateBack'));
    // The server agrees: the offer expired and the order is not this electrician's.
    await eventually(async () => {
      const [offer] = await api.rows('dispatch_offers', { order_id: order.id });
      expect(offer.status).not.toBe('pending');
    }, 8_000);
    expect((await api.rows('orders', { id: order.id }))[0].electrician_id).toBeNull();
  });

  it('when 拒绝 is tapped, then the server records the rejection and the page closes', async () => {
    const { e, order, page } = await offered('offer-reject');
    page.querySelector('.reject')!.dispatchEvent('tap');
    await eventually(() => expect(text(page)).toContain('已拒绝，派单将转给其他师傅'));
    const [offer] = await api.rows('dispatch_offers', { order_id: order.id, electrician_id: e.electricianId });
    expect(offer).toMatchObject({ status: 'rejected', reason: '暂时无法接单' });
    await eventually(() => expect(bridge.navigations.at(-1)?.api).toBe('navigateBack'));
  });

  it('when 接单 comes too late (another electrician took the order meanwhile), then the page says so instead of failing silently', async () => {
    const { order, page } = await offered('offer-late');
    const other = await api.loginAsElectrician('offer-late-rival');
    const grabbed = await api.call('POST', `/api/orders/${order.id}/grab`, other.token);
    expect(grabbed.status).toBe(200);
    page.querySelector('.accept')!.dispatchEvent('tap');
    await eventually(() => expect(text(page)).toContain('派单已超时，已转给其他师傅'));
    expect(bridge.navigations.some((n) => n.url.includes('/pages/electrician/order-detail/'))).toBe(false);
  });
});
