// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { advanceOrder, dataOf, openOnPhone, placeOrder, useLiveApi } from '../../../../test/journey';
import { bridgeWx, eventually, type LiveApi, type LiveSession } from '../../../../test/live';
import { photoFile, pickPhotos } from '../../../../test/photos';
import { NETWORK_FAILURE, renderPage, settle, tapStar } from '../../../../test/setup';

let api: LiveApi;
useLiveApi((started) => {
  api = started;
});

async function open(name: string, session: LiveSession, orderId: number) {
  const opened = await openOnPhone(api, name, session, 'pages/user/evaluate/evaluate', { orderId: String(orderId) });
  await eventually(() => expect(dataOf(opened.page).loading).toBe(false));
  return opened;
}

const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);
const tap = (dataset: Record<string, unknown>) => ({ currentTarget: { dataset } });

describe('评价页', () => {
  it('when the customer rates, tags, writes, adds a photo and submits anonymously, then the review is stored and shown', async () => {
    const customer = await api.login('rater');
    const electrician = await api.loginAsElectrician('rater-e');
    const order = await placeOrder(api, customer);
    await advanceOrder(api, order.id, electrician, customer, 'paid');
    const tags = (await api.call<string[]>('GET', '/api/reviews/tags')).body.data;
    const { page } = await open('rater', customer, order.id);
    expect(page.dom.textContent).toContain(tags[0]);
    expect(page.dom.textContent).toContain('服务态度');

    await tapStar(page, '.rating__stars', 3, 1);
    await tapStar(page, '.rating__stars', 4, 2);
    page.instance.onToggleTag(tap({ index: 0 }));
    page.instance.onToggleTag(tap({ index: 2 }));
    page.instance.onContentInput({ detail: { value: '师傅很专业，很快修好了' } });
    page.instance.onAnonymousChange({ detail: { value: true } });
    pickPhotos([await photoFile('review-1')]);
    await page.instance.onAddPhotos();
    await settle(1);
    expect(page.dom.textContent).toContain('一般');
    await page.instance.onSubmit();
    await settle(1);

    expect(page.querySelector('.reviewed')?.dom.textContent).toContain('已评价');
    expect(page.querySelector('.reviewed')?.dom.textContent).toContain('综合评分 4.0 分');
    const [review] = await api.rows('reviews', { order_id: order.id });
    expect([review.service_rating, review.quality_rating, review.speed_rating].map(Number)).toEqual([5, 3, 4]);
    expect(json(review.tags)).toEqual([tags[0], tags[2]]);
    expect(review.content).toBe('师傅很专业，很快修好了');
    expect(Boolean(review.is_anonymous)).toBe(true);
    const [photo] = await api.rows('uploads', { purpose: 'review' });
    expect(json(review.images)).toEqual([photo.id]);
  });

  it('when the order is already reviewed, then the page shows the review instead of the form', async () => {
    const customer = await api.login('again');
    const electrician = await api.loginAsElectrician('again-e');
    const order = await placeOrder(api, customer);
    await advanceOrder(api, order.id, electrician, customer, 'paid');
    await api.call('POST', `/api/orders/${order.id}/review`, customer.token, {
      serviceRating: 2,
      qualityRating: 2,
      speedRating: 2,
    });
    const { page } = await open('again', customer, order.id);
    expect(page.querySelector('.reviewed')?.dom.textContent).toContain('综合评分 2.0 分');
    expect(page.querySelector('.submit')).toBeFalsy();
  });

  it('when the order is not paid yet, then submitting shows the API refusal and stores nothing', async () => {
    const customer = await api.login('early-rater');
    const electrician = await api.loginAsElectrician('early-rater-e');
    const order = await placeOrder(api, customer);
    await advanceOrder(api, order.id, electrician, customer, 'quoted');
    const { bridge, page } = await open('early-rater', customer, order.id);
    await page.instance.onSubmit();
    await settle(1);
    const error = page.querySelector('.form-error')?.dom.textContent ?? '';
    expect(error.length).toBeGreaterThan(0);
    expect(bridge.toasts).toContain(error);
    expect(await api.rows('reviews', { order_id: order.id })).toHaveLength(0);
  });

  it('when the page cannot load, then the error state shows and retry recovers', async () => {
    const customer = await api.login('offline-rater');
    const order = await placeOrder(api, customer);
    const bridge = bridgeWx(api);
    const device = bridge.device('offline-rater');
    await device.signIn(customer);
    bridge.use(device);
    bridge.intercept = () => NETWORK_FAILURE;
    const page = renderPage('pages/user/evaluate/evaluate');
    page.instance.onLoad({ orderId: String(order.id) });
    page.instance.onShow();
    await eventually(() => expect(page.querySelector('.load-error')?.dom.textContent).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    await page.instance.load();
    expect(page.querySelector('.submit')).toBeTruthy();
  });
});
