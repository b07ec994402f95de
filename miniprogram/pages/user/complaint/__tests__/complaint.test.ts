// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceOrder, dataOf, placeOrder } from '../../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveSession } from '../../../../test/live';
import { photoFile, pickPhotos } from '../../../../test/photos';
import { gridPhotos, NETWORK_FAILURE, renderPage, settle } from '../../../../test/setup';

let api: LiveApi;
beforeAll(async () => {
  api = await startLiveApi();
});
afterAll(async () => {
  await api?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function open(name: string, session: LiveSession, query: Record<string, string>) {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  const page = renderPage('pages/user/complaint/complaint');
  page.instance.onLoad(query);
  page.instance.onShow();
  await eventually(() => expect(dataOf(page).loading).toBe(false));
  return { bridge, page };
}

const text = (page: ReturnType<typeof renderPage>, selector: string) => page.querySelector(selector)?.dom.textContent ?? '';

describe('售后', () => {
  it('when a completed order has no complaint, then the form and an empty history show; submitting stores it and shows its history', async () => {
    const customer = await api.login('unhappy');
    const electrician = await api.loginAsElectrician('unhappy-e');
    const order = await placeOrder(api, customer);
    await advanceOrder(api, order.id, electrician, customer, 'paid');
    const { page } = await open('unhappy', customer, { orderId: String(order.id) });
    expect(text(page, '.empty')).toBe('暂无售后记录');
    expect(page.querySelector('.submit')).toBeTruthy();

    page.instance.onTypeChange({ detail: { value: '0' } });
    page.instance.onContentInput({ detail: { value: '修好第二天又跳闸了，需要返修' } });
    pickPhotos([await photoFile('complaint-1')]);
    await page.instance.onAddPhotos();
    await page.instance.onSubmit();
    await settle(1);

    const [row] = await api.rows('complaints', { order_id: order.id });
    expect(row).toMatchObject({ type: 'quality', content: '修好第二天又跳闸了，需要返修', status: 'open' });
    expect(text(page, '.complaint-status')).toBe('待处理');
    expect(text(page, '.history')).toContain('提交售后申请');
    expect(gridPhotos(page, '.evidence-photos')).toBe(1);

    const admin = await api.loginAsAdmin();
    const reply = await api.call('POST', `/api/admin/complaints/${String(row.id)}/reply`, admin.token, {
      content: '已安排师傅明天上门复查',
    });
    expect(reply.status).toBe(200);
    page.instance.onShow();
    await eventually(() => expect(text(page, '.history')).toContain('已安排师傅明天上门复查'));
    expect(text(page, '.history')).toContain('客服回复');

    page.instance.onBackToList();
    await eventually(() => expect(page.querySelector('.complaint')).toBeTruthy());
    expect(text(page, '.complaint')).toContain('维修质量');
    // One open complaint per order: no second form.
    expect(page.querySelector('.submit')).toBeFalsy();
  });

  it('when the order is not completed, then the API refusal shows in the form and nothing is stored', async () => {
    const customer = await api.login('too-early');
    const order = await placeOrder(api, customer);
    const { bridge, page } = await open('too-early', customer, { orderId: String(order.id) });
    page.instance.onContentInput({ detail: { value: '电工一直没有上门联系' } });
    await page.instance.onSubmit();
    await settle(1);
    const error = text(page, '.form-error');
    expect(error.length).toBeGreaterThan(0);
    expect(bridge.toasts).toContain(error);
    expect(await api.rows('complaints', { order_id: order.id })).toHaveLength(0);
  });

  it('when the complaints cannot be loaded, then the error state shows and retry loads them', async () => {
    const customer = await api.login('offline-complaint');
    const bridge = bridgeWx(api);
    const device = bridge.device('offline-complaint');
    await device.signIn(customer);
    bridge.use(device);
    bridge.intercept = () => NETWORK_FAILURE;
    const page = renderPage('pages/user/complaint/complaint');
    page.instance.onLoad({});
    page.instance.onShow();
    await eventually(() => expect(text(page, '.load-error')).toContain('网络异常，请稍后重试'));
    bridge.intercept = undefined;
    await page.instance.load();
    expect(text(page, '.empty')).toBe('暂无售后记录');
    expect(page.querySelector('.submit')).toBeFalsy();
  });
});
