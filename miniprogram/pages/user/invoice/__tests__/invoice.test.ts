// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceOrder, dataOf, placeOrder, upload } from '../../../../test/journey';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveSession } from '../../../../test/live';
import { renderPage, settle } from '../../../../test/setup';

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

/** A real 统一社会信用代码 and the same with its check character wrong. */
const CODE = '91350100M000100Y43';
const TYPO = '91350100M000100Y44';

async function open(name: string, session: LiveSession, page: string, query: Record<string, string> = {}) {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  const rendered = renderPage(page);
  rendered.instance.onLoad?.(query);
  rendered.instance.onShow?.();
  await eventually(() => expect(dataOf(rendered).loading).toBe(false));
  return { bridge, page: rendered };
}

async function paidOrder(name: string) {
  const customer = await api.login(name);
  const electrician = await api.loginAsElectrician(`${name}-e`);
  const order = await placeOrder(api, customer);
  await advanceOrder(api, order.id, electrician, customer, 'paid');
  return { customer, order };
}

const text = (page: ReturnType<typeof renderPage>, selector: string) => page.querySelector(selector)?.dom.textContent ?? '';
const INVOICE = 'pages/user/invoice/invoice';

describe('发票', () => {
  it('a company invoice: a mistyped tax number is caught on the phone; the request is sent, issued by finance and opened', async () => {
    const { customer, order } = await paidOrder('invoice-co');
    const { bridge, page } = await open('invoice-co', customer, INVOICE, { orderId: String(order.id) });
    expect(page.querySelector('.submit')).toBeTruthy();

    page.instance.onTitleType({ currentTarget: { dataset: { type: 'company' } } });
    page.instance.onTitleInput({ detail: { value: '杭州示例科技有限公司' } });
    page.instance.onTaxNumberInput({ detail: { value: TYPO.toLowerCase() } });
    expect(dataOf(page).taxNumber).toBe(TYPO);
    const sent = bridge.requests.length;
    await page.instance.onSubmit();
    expect(bridge.requests.length).toBe(sent);
    expect(text(page, '.tax-error')).toContain('校验不通过');

    page.instance.onTaxNumberInput({ detail: { value: CODE } });
    await page.instance.onSubmit();
    await settle(1);
    const [row] = await api.rows('invoices', { order_id: order.id });
    expect(row).toMatchObject({ title_type: 'company', title: '杭州示例科技有限公司', tax_number: CODE, status: 'requested' });
    expect(text(page, '.invoice-status')).toBe('开票中');
    expect(page.querySelector('.submit')).toBeFalsy();

    // Finance issues it with the scan of the invoice; the customer opens it from the page.
    const admin = await api.loginAsAdmin();
    const file = await upload(api, admin, 'invoice', `invoice-${order.id}`);
    const issued = await api.call('POST', `/api/admin/invoices/${String(row.id)}/issue`, admin.token, {
      invoiceNo: '24332000000012345678',
      fileUploadId: file.id,
    });
    expect(issued.status).toBe(200);
    const again = await open('invoice-co', customer, INVOICE, { orderId: String(order.id) });
    expect(text(again.page, '.invoice-status')).toBe('已开票');
    expect(text(again.page, '.invoice-no')).toContain('24332000000012345678');
    const preview = vi.spyOn(wx, 'previewImage').mockImplementation((() => undefined) as never);
    await again.page.instance.onOpen();
    expect(preview).toHaveBeenCalledTimes(1);
    const url = String((preview.mock.calls[0][0] as { current: string }).current);
    const res = await fetch(url.replace(/^https?:\/\/[^/]+/, api.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\//);
  });

  it('a rejected request shows why and comes back filled in; the corrected one is accepted', async () => {
    const { customer, order } = await paidOrder('invoice-me');
    const { page } = await open('invoice-me', customer, INVOICE, { orderId: String(order.id) });
    page.instance.onTitleInput({ detail: { value: '王小明' } });
    await page.instance.onSubmit();
    await settle(1);
    const [row] = await api.rows('invoices', { order_id: order.id });
    const admin = await api.loginAsAdmin();
    const rejected = await api.call('POST', `/api/admin/invoices/${String(row.id)}/reject`, admin.token, {
      reason: '个人抬头请填写真实姓名全称',
    });
    expect(rejected.status).toBe(200);

    const { page: back } = await open('invoice-me', customer, INVOICE, { orderId: String(order.id) });
    expect(text(back, '.reject-reason')).toContain('个人抬头请填写真实姓名全称');
    expect(dataOf(back).title).toBe('王小明');
    back.instance.onTitleInput({ detail: { value: '王小明明' } });
    await back.instance.onSubmit();
    await settle(1);
    expect(text(back, '.invoice-status')).toBe('开票中');
    expect(await api.rows('invoices', { order_id: order.id })).toHaveLength(2);
  });

  it('my invoices lists each request with its state, and a row opens its order’s invoice', async () => {
    const { customer, order } = await paidOrder('invoice-list');
    await api.call('POST', `/api/orders/${order.id}/invoice`, customer.token, { titleType: 'personal', title: '李雷' });
    const { bridge, page } = await open('invoice-list', customer, 'pages/user/invoices/invoices');
    expect(text(page, '.invoice-row')).toContain('个人 · 李雷');
    expect(text(page, '.invoice-row')).toContain('开票中');
    page.querySelector('.invoice-row')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/pages/user/invoice/invoice?orderId=${order.id}` });
  });

  it('with no invoice yet, the list says how to get one', async () => {
    const customer = await api.login('invoice-none');
    const { page } = await open('invoice-none', customer, 'pages/user/invoices/invoices');
    expect(text(page, '.no-invoices')).toContain('订单详情申请开票');
  });
});
