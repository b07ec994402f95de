// @vitest-environment jsdom
/// <reference types="node" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electricianPhone, openPage, text, useLiveBridge } from '../../pages/electrician/__tests__/support';
import { pageModule, pageRealtime, placeOrder, SITE } from '../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../test/live';
import { locateAt } from '../../pages/electrician/__tests__/support';

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

interface JobAlerts {
  startJobAlerts(): () => void;
  resumeJobAlerts(): void;
  ALERT_SOUND: string;
}
const alerts = () => pageModule<JobAlerts>('services/job-alerts.ts');
const g = globalThis as unknown as { getCurrentPages?: () => { route: string }[] };

let stop: () => void = () => undefined;
let audio: { src: string; plays: number };
let modals: { title: string; content: string }[];
beforeEach(() => {
  audio = { src: '', plays: 0 };
  modals = [];
  vi.spyOn(wx, 'createInnerAudioContext').mockImplementation((() => ({
    set src(v: string) {
      audio.src = v;
    },
    obeyMuteSwitch: true,
    stop() {},
    play() {
      audio.plays += 1;
    },
  })) as never);
  vi.spyOn(wx, 'vibrateLong').mockImplementation((() => undefined) as never);
});
afterEach(() => {
  stop();
  delete g.getCurrentPages;
});

/** Records what each modal said, and taps its confirm button. */
function recordModals() {
  vi.spyOn(wx, 'showModal').mockImplementation(((opts: WechatMiniprogram.ShowModalOption) => {
    modals.push({ title: opts.title ?? '', content: opts.content ?? '' });
    opts.success?.({ confirm: true, cancel: false, content: '', errMsg: 'showModal:ok' } as never);
  }) as never);
}

async function onPage(route: string, name: string, opts: Record<string, unknown> = {}) {
  const e = await electricianPhone(api, bridge, name, opts);
  g.getCurrentPages = () => [{ route }];
  recordModals();
  stop = alerts().startJobAlerts();
  alerts().resumeJobAlerts();
  await eventually(() => expect(pageRealtime().status()).toBe('connected'));
  return e;
}

describe('不漏单：全局接单提醒', () => {
  it('when a new order arrives while the electrician reads messages, then a sound from the package plays and a modal leads to the hall', async () => {
    await onPage('pages/common/messages/messages', 'alert-new');
    await placeOrder(api, await api.login('alert-cust-1'), { description: '客厅插座没电' });
    await eventually(() => expect(modals.map((m) => m.title)).toContain('附近有新订单'));
    expect(modals[0].content).toContain('电路故障');
    expect(modals[0].content).toContain('上门费');
    expect(audio.src).toBe('/assets/sounds/new-job.wav');
    expect(audio.plays).toBe(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'switchTab', url: '/pages/hall/hall' });
  });

  it('when an urgent order is dispatched to them on another page, then the full-screen offer page opens with a countdown that ticks, and 接单 takes the order', async () => {
    const e = await onPage('pages/me/me', 'alert-offer', { emergencyAvailable: true });
    const order = await placeOrder(api, await api.login('alert-cust-2'), {
      urgentType: 'urgent',
      description: '全屋断电，老人在家',
    });
    const url = `/pages/dispatch-offer/dispatch-offer?orderId=${order.id}`;
    await eventually(() => expect(bridge.navigations).toContainEqual({ api: 'navigateTo', url }));
    expect(wx.vibrateLong).toHaveBeenCalled();
    expect(modals.filter((m) => m.title.startsWith('平台派单'))).toEqual([]);

    const page = await openPage('pages/dispatch-offer/dispatch-offer', { orderId: String(order.id) });
    try {
      expect(text(page)).toContain('全屋断电，老人在家');
      expect(text(page)).toContain('加急');
      const first = Number(page.querySelector('.countdown__number')?.dom.textContent);
      expect(first).toBeGreaterThan(50);
      // The countdown is live: a second later it shows a smaller number (the modal it replaces could not).
      await eventually(
        () => expect(Number(page.querySelector('.countdown__number')?.dom.textContent)).toBeLessThan(first),
        3_000,
      );

      page.querySelector('.accept')!.dispatchEvent('tap');
      await eventually(() =>
        expect(bridge.navigations.at(-1)).toEqual({
          api: 'redirectTo',
          url: `/pages/electrician/order-detail/order-detail?id=${order.id}`,
        }),
      );
      const [row] = await api.rows('orders', { id: order.id });
      expect([row.status, row.electrician_id]).toEqual(['accepted', e.electricianId]);
    } finally {
      page.instance.onUnload();
    }
  });

  it('when the offer page is opened for an offer the app no longer knows, then it says the offer is void and goes back', async () => {
    await onPage('pages/me/me', 'alert-void');
    const page = await openPage('pages/dispatch-offer/dispatch-offer', { orderId: '999999' });
    expect(text(page)).toContain('派单已失效');
    expect(page.querySelector('.accept')).toBeFalsy();
    await eventually(() => expect(bridge.navigations.at(-1)?.api).toBe('navigateBack'));
  });

  it('when the electrician is in the hall, then pushes ring but no modal covers the hall', async () => {
    await onPage('pages/hall/hall', 'alert-hall');
    await placeOrder(api, await api.login('alert-cust-3'), { description: '卧室灯不亮了' });
    await eventually(() => expect(audio.plays).toBeGreaterThan(0));
    expect(modals).toEqual([]);
  });
});
