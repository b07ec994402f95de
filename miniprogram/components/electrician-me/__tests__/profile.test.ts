// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { advanceOrder, placeOrder } from '../../../test/journey';
import { eventually, type LiveApi, type LiveWx } from '../../../test/live';
import { NETWORK_FAILURE, stateButton, settle } from '../../../test/setup';
import { electricianPhone, openPage, text, useLiveBridge } from '../../../pages/electrician/__tests__/support';

let api: LiveApi;
let bridge: LiveWx;
useLiveBridge((a, b) => {
  api = a;
  bridge = b;
});

const PROFILE = 'components/electrician-me/index';

describe('电工 · 我的', () => {
  it('when the electrician taps 退出登录, then the session ends on the server and the app restarts signed out', async () => {
    const e = await electricianPhone(api, bridge, 'ep-logout');
    const page = await openPage(PROFILE);
    await eventually(() => expect(page.querySelector('.logout')).toBeTruthy());
    page.querySelector('.logout')!.dispatchEvent('tap');
    await eventually(() => expect(bridge.navigations).toContainEqual({ api: 'reLaunch', url: '/pages/index/index' }));
    // What was still loading when the session ended does not send the app to the login page.
    await settle(20);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'reLaunch', url: '/pages/index/index' });
    expect(bridge.current().storage.has('session.token')).toBe(false);
    expect((await api.call('POST', '/api/auth/refresh', undefined, { refreshToken: e.refreshToken })).status).toBe(401);
  });

  it('when the electrician has been paid and reviewed, then earnings, rating and the review show, and a reply is posted', async () => {
    const customer = await api.login('ep-cust');
    const order = await placeOrder(api, customer);
    const e = await electricianPhone(api, bridge, 'ep-e1');
    await advanceOrder(api, order.id, e, customer, 'paid');
    const review = await api.call<{ id: number }>('POST', `/api/orders/${order.id}/review`, customer.token, {
      serviceRating: 5,
      qualityRating: 4,
      speedRating: 5,
      content: '师傅很准时，活干得干净',
      tags: ['准时上门'],
    });
    expect(review.status).toBe(201);

    const page = await openPage(PROFILE);
    // Reviews and earnings load side by side and render as each arrives: wait for both.
    await eventually(() => {
      expect(page.querySelector('.review')?.dom.textContent).toContain('师傅很准时，活干得干净');
      expect(page.querySelector('.total-earnings')).toBeTruthy();
    });
    // 125.00 paid, 10% platform fee: 112.50 for the electrician, pending settlement.
    expect(page.querySelector('.total-earnings')?.dom.textContent).toBe('¥112.50');
    expect(page.querySelector('.earning-item')?.dom.textContent).toContain('¥112.50 · 待结算');
    expect(page.querySelector('.rating')?.dom.textContent).toBe('4.7');
    expect(page.querySelector('.verification')?.dom.textContent).toBe('已认证');
    expect(page.querySelector('.review .stars')?.dom.textContent?.trim()).toBe('4.7');
    // The stars beside it (components/rating-stars, read-only, Vant's rate) show 4.7 as four and a half.
    type Dom = { querySelectorAll(s: string): ArrayLike<{ getAttribute(name: string): string | null }> };
    const stars = page.querySelector('.review .stars')?.dom as unknown as Dom;
    const icons = Array.from(stars.querySelectorAll('[class*="van-rate__icon"]')).map((el) => el.getAttribute('class') ?? '');
    const whole = icons.filter((c) => c.includes('icon--full') && !c.includes('icon--half')).length;
    const halves = icons.filter((c) => c.includes('icon--full') && c.includes('icon--half')).length;
    expect(whole + (halves - whole) / 2).toBe(4.5);

    page.instance.onReplyInput({ detail: { value: '谢谢您的认可！' }, currentTarget: { dataset: { id: review.body.data.id } } });
    await page.instance.onReply({ currentTarget: { dataset: { id: review.body.data.id } } });
    await eventually(() => expect(page.querySelector('.review__reply')?.dom.textContent).toBe('我的回复：谢谢您的认可！'));
    const [row] = await api.rows('reviews', { id: review.body.data.id });
    expect(row.reply_content).toBe('谢谢您的认可！');
  });

  it('when the work settings change, then they are saved through the API and shown', async () => {
    const e = await electricianPhone(api, bridge, 'ep-e2');
    const page = await openPage(PROFILE);
    await eventually(() => expect(page.querySelector('.work-status')?.dom.textContent).toBe('接单中'));
    page.instance.onWorkStatusChange({ detail: { value: '2' } });
    await eventually(() => expect(page.querySelector('.work-status')?.dom.textContent).toBe('休息'));
    page.instance.onEmergencyChange({ detail: { value: true } });
    await eventually(async () =>
      expect((await api.rows('electricians', { id: e.electricianId }))[0].emergency_available).toBeTruthy(),
    );
    page.instance.onMinAmountInput({ detail: { value: '50.5' } });
    page.instance.onSaveMinAmount();
    await eventually(async () => {
      const [row] = await api.rows('electricians', { id: e.electricianId });
      expect([row.work_status, Number(row.min_order_amount)]).toEqual(['offline', 5050]);
    });
    await eventually(() => expect(bridge.toasts).toContain('起接金额已保存'));

    page.instance.onMinAmountInput({ detail: { value: '12.345' } });
    page.instance.onSaveMinAmount();
    expect(bridge.toasts.at(-1)).toBe('起接金额为 0–10000 元');
    expect(Number((await api.rows('electricians', { id: e.electricianId }))[0].min_order_amount)).toBe(5050);
  });

  it('when nothing has been earned or reviewed yet, then both sections say so', async () => {
    await electricianPhone(api, bridge, 'ep-e3');
    const page = await openPage(PROFILE);
    await eventually(() => expect(page.querySelector('.no-earnings')?.dom.textContent).toBe('暂无收入记录'));
    expect(page.querySelector('.no-reviews')?.dom.textContent).toBe('暂无评价');
    expect(page.querySelector('.total-earnings')?.dom.textContent).toBe('¥0.00');
    expect(page.querySelector('.rating')?.dom.textContent).toBe('暂无');
  });

  it('when the user has not applied, then the page offers the application', async () => {
    const d = bridge.device('ep-user');
    bridge.use(d);
    await d.signIn(await api.login('ep-user'));
    const page = await openPage(PROFILE);
    await eventually(() => expect(page.querySelector('.not-applied')?.dom.textContent).toContain('你还不是认证电工'));
    page.instance.onApply();
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: '/pages/electrician/apply/apply' });
  });

  it('when the profile cannot be loaded, then the error shows and retry loads it', async () => {
    await electricianPhone(api, bridge, 'ep-e4');
    bridge.intercept = () => NETWORK_FAILURE;
    const page = await openPage(PROFILE);
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    stateButton(page, '.load-error')!.dispatchEvent('tap');
    await eventually(() => expect(text(page)).toContain('接单设置'));
  });
});
