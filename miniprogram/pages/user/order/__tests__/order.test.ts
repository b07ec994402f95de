// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NETWORK_FAILURE,
  fakeWx,
  fail,
  ok,
  renderPage,
  settle,
  type FakeRequest,
  type RenderedPage,
} from '../../../../test/setup';

const PRICES = [
  { faultType: 'circuit', name: '电路故障', visitFee: 3000, estimatedAmount: 15000, urgentSurcharge: 2000 },
  { faultType: 'lighting', name: '灯具维修', visitFee: 2000, estimatedAmount: 8000, urgentSurcharge: 2000 },
];

const ORDER = {
  id: 42,
  orderNo: 'E2026112200000042',
  status: 'pending',
  visitFee: 4000,
  estimatedAmount: 12000,
  faultType: 'lighting',
};

beforeEach(() => {
  vi.spyOn(wx, 'chooseLocation').mockImplementation(((opts: WechatMiniprogram.ChooseLocationOption) => {
    opts.success?.({
      name: '阳光小区',
      address: '广东省深圳市南山区科技园路 1 号',
      latitude: 22.54,
      longitude: 113.95,
      errMsg: 'chooseLocation:ok',
    });
  }) as never);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const input = (value: string) => ({ detail: { value } });

async function openPage(fake: ReturnType<typeof fakeWx>): Promise<RenderedPage> {
  fake.storage.set('session.token', 'token-1');
  fake.storage.set('session.refreshToken', 'refresh-1');
  const page = renderPage('pages/user/order/order');
  page.instance.onLoad({});
  await settle();
  return page;
}

function fillForm(page: RenderedPage, phone = '13800138000') {
  const i = page.instance;
  i.onFaultChange(input('1'));
  i.onUrgentChange({ detail: { value: true } });
  i.onNameInput(input('张三'));
  i.onPhoneInput(input(phone));
  i.onRegionChange({ detail: { value: ['广东省', '深圳市', '南山区'] } });
  i.onChooseLocation();
  i.onDescriptionInput(input('客厅插座没有电，总闸跳闸'));
}

const creates = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/orders'));

describe('下单页', () => {
  it('when the page opens, then the visit fee and estimate show before submitting, and urgent adds the surcharge', async () => {
    const fake = fakeWx(() => ok(PRICES));
    const page = await openPage(fake);
    expect(page.querySelector('.visit-fee')?.dom.textContent).toBe('¥30.00');
    expect(page.querySelector('.estimate')?.dom.textContent).toBe('¥150.00');
    page.instance.onFaultChange(input('1'));
    await settle(1);
    expect(page.querySelector('.fault-name')?.dom.textContent).toBe('灯具维修');
    expect(page.querySelector('.visit-fee')?.dom.textContent).toBe('¥20.00');
    page.instance.onUrgentChange({ detail: { value: true } });
    await settle(1);
    expect(page.querySelector('.visit-fee')?.dom.textContent).toBe('¥40.00');
    expect(page.querySelector('.estimate')?.dom.textContent).toBe('¥100.00');
    expect(page.dom.textContent).toContain('加急另收 ¥20.00');
  });

  it('when the phone number is invalid, then the form says so and nothing is sent', async () => {
    const fake = fakeWx(() => ok(PRICES));
    const page = await openPage(fake);
    fillForm(page, '12345678901');
    await page.instance.onSubmit();
    await settle(1);
    expect(page.querySelector('.form-error')?.dom.textContent).toBe('请输入正确的手机号');
    expect(creates(fake.requests)).toHaveLength(0);
  });

  it('when the first submit fails on the network, then the retry reuses the same Idempotency-Key and shows the order number', async () => {
    let attempts = 0;
    const fake = fakeWx((req) => {
      if (req.url.endsWith('/api/orders/pricing')) return ok(PRICES);
      attempts += 1;
      return attempts === 1 ? NETWORK_FAILURE : ok(ORDER, 201);
    });
    const page = await openPage(fake);
    fillForm(page);
    await page.instance.onSubmit();
    await settle(1);
    expect(page.querySelector('.form-error')?.dom.textContent).toBe('网络异常，请稍后重试');
    await page.instance.onSubmit();
    await settle(1);

    const sent = creates(fake.requests);
    expect(sent).toHaveLength(2);
    const key = sent[0].header['Idempotency-Key'];
    expect(key).toMatch(/^[A-Za-z0-9_.:-]{8,100}$/);
    expect(sent[1].header['Idempotency-Key']).toBe(key);
    expect(sent[1].header.Authorization).toBe('Bearer token-1');
    expect(sent[1].data).toEqual({
      faultType: 'lighting',
      urgentType: 'urgent',
      contactName: '张三',
      contactPhone: '13800138000',
      region: '广东省 深圳市 南山区',
      address: '广东省深圳市南山区科技园路 1 号阳光小区',
      latitude: 22.54,
      longitude: 113.95,
      description: '客厅插座没有电，总闸跳闸',
    });
    expect(page.dom.textContent).toContain('下单成功');
    expect(page.dom.textContent).toContain('E2026112200000042');
    expect(page.dom.textContent).toContain('待接单');
  });

  it('when the form changes after a failed submit, then the next submit uses a new Idempotency-Key', async () => {
    const fake = fakeWx((req) =>
      req.url.endsWith('/api/orders/pricing') ? ok(PRICES) : fail(409, 'ACTIVE_LIMIT_REACHED', '进行中的订单已达上限'),
    );
    const page = await openPage(fake);
    fillForm(page);
    await page.instance.onSubmit();
    page.instance.onDescriptionInput(input('客厅插座没有电，总闸一直跳闸'));
    await page.instance.onSubmit();
    const [first, second] = creates(fake.requests);
    expect(first.header['Idempotency-Key']).not.toBe(second.header['Idempotency-Key']);
    expect(fake.showToast).toHaveBeenCalledWith({ title: '进行中的订单已达上限', icon: 'none' });
  });

  it('when not logged in, then submitting opens the login page instead of sending', async () => {
    const fake = fakeWx(() => ok(PRICES));
    const page = renderPage('pages/user/order/order');
    page.instance.onLoad({});
    await settle();
    fillForm(page);
    await page.instance.onSubmit();
    expect(fake.navigateTo).toHaveBeenCalledWith({ url: '/pages/login/login' });
    expect(creates(fake.requests)).toHaveLength(0);
  });
});
