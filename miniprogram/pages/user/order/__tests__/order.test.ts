// @vitest-environment jsdom
/// <reference types="node" />
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ENVIRONMENTS } from '../../../../config/index';
import { bridgeWx, eventually, startLiveApi, type LiveApi, type LiveWx } from '../../../../test/live';
import { photoFile, pickPhotos } from '../../../../test/photos';
import { dataOf, pageModule } from '../../../../test/journey';
import { NETWORK_FAILURE, renderPage, settle, type FakeRequest, type RenderedPage } from '../../../../test/setup';

interface Price {
  faultType: string;
  name: string;
  visitFee: number;
  estimatedAmount: number;
  urgentSurcharge: number;
}

let api: LiveApi;
let prices: Price[];
beforeAll(async () => {
  api = await startLiveApi();
  prices = (await api.call<Price[]>('GET', '/api/orders/pricing')).body.data;
});
afterAll(async () => {
  await api?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The page's own config module (pages load through Node's require, not through vitest's); simulate's wx says develop. */
const develop = pageModule<{ ENVIRONMENTS: typeof ENVIRONMENTS }>('config/index.ts').ENVIRONMENTS.develop;

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const input = (value: string) => ({ detail: { value } });
const creates = (requests: FakeRequest[]) => requests.filter((r) => r.method === 'POST' && r.url === '/api/orders');

function chooseLocation() {
  vi.spyOn(wx, 'chooseLocation').mockImplementation(((opts: WechatMiniprogram.ChooseLocationOption) => {
    opts.success?.({
      name: '阳光小区',
      address: '广东省深圳市南山区科技园路 1 号',
      latitude: 22.54,
      longitude: 113.95,
      errMsg: 'chooseLocation:ok',
    });
  }) as never);
}

async function openPage(name: string | null): Promise<{ bridge: LiveWx; page: RenderedPage }> {
  const bridge = bridgeWx(api);
  const device = bridge.device(name ?? `guest-${Math.random().toString(36).slice(2, 8)}`);
  if (name) await device.signIn(await api.login(name));
  bridge.use(device);
  chooseLocation();
  const page = renderPage('pages/user/order/order');
  page.instance.onLoad({});
  await eventually(() => expect(dataOf(page).loading).toBe(false));
  return { bridge, page };
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

describe('下单页', () => {
  it('when the page opens, then the visit fee and estimate of the API pricing show, and urgent adds the surcharge', async () => {
    const { page } = await openPage('fees');
    const [first, second] = prices;
    expect(page.querySelector('.visit-fee')?.dom.textContent).toBe(yuan(first.visitFee));
    expect(page.querySelector('.estimate')?.dom.textContent).toBe(yuan(first.estimatedAmount));
    page.instance.onFaultChange(input('1'));
    await settle(1);
    expect(page.querySelector('.fault-name')?.dom.textContent).toBe(second.name);
    page.instance.onUrgentChange({ detail: { value: true } });
    await settle(1);
    expect(page.querySelector('.visit-fee')?.dom.textContent).toBe(yuan(second.visitFee + second.urgentSurcharge));
    expect(page.querySelector('.estimate')?.dom.textContent).toBe(yuan(second.estimatedAmount + second.urgentSurcharge));
    expect(page.dom.textContent).toContain(`加急另收 ${yuan(second.urgentSurcharge)}`);
  });

  it('when the price list has labour for the chosen fault type, then the form quotes it as a reference and links to the list', async () => {
    const { page: before } = await openPage('refs-none');
    expect(before.querySelector('.references')).toBeFalsy(); // nothing published yet
    const admin = await api.loginAsAdmin();
    for (const [code, name, price, faultTypes] of [
      ['L-REF-SOCKET', '更换插座', 3000, [prices[0].faultType]],
      ['L-REF-LAMP', '灯具安装', 5000, [prices[1].faultType]],
    ] as const)
      expect(
        (
          await api.call('POST', '/api/admin/catalog/items', admin.token, {
            code,
            name,
            category: 'labour',
            unit: '个',
            standardPrice: price,
            maxPrice: price * 2,
            faultTypes,
          })
        ).status,
      ).toBe(201);

    const { bridge, page } = await openPage('refs');
    await eventually(() => expect(page.querySelector('.references__text')?.dom.textContent).toBe('参考价：更换插座 ¥30.00/个'));
    page.instance.onFaultChange(input('1'));
    await settle(1);
    expect(page.querySelector('.references__text')?.dom.textContent).toBe('参考价：灯具安装 ¥50.00/个');
    page.querySelector('.references__link')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({
      api: 'navigateTo',
      url: `/pages/user/price-list/price-list?faultType=${prices[1].faultType}`,
    });
  });

  it('when the pricing cannot be loaded, then the error shows with a retry that loads it', async () => {
    const bridge = bridgeWx(api);
    bridge.use(bridge.device('offline'));
    bridge.intercept = () => NETWORK_FAILURE;
    const page = renderPage('pages/user/order/order');
    page.instance.onLoad({});
    await eventually(() => expect(page.dom.textContent).toContain('网络异常，请稍后重试'));
    expect(page.dom.textContent).toContain('重试');
    bridge.intercept = undefined;
    await page.instance.loadPrices();
    await settle(1);
    expect(page.querySelector('.visit-fee')?.dom.textContent).toBe(yuan(prices[0].visitFee));
  });

  it('when photos and a scheduled time are added, then the order carries the upload ids and time, and the subscribe result is posted', async () => {
    Object.assign(develop.subscribeTemplates, { orderAccepted: 'tmpl-accepted', orderCompleted: 'tmpl-completed' });
    const subscribe = vi.spyOn(wx, 'requestSubscribeMessage').mockImplementation(((
      opts: WechatMiniprogram.RequestSubscribeMessageOption,
    ) => {
      opts.success?.({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-accepted': 'accept', 'tmpl-completed': 'reject' } as never);
    }) as never);
    try {
      const { bridge, page } = await openPage('photos');
      fillForm(page);
      pickPhotos([await photoFile('order-1'), await photoFile('order-2')]);
      await page.instance.onAddPhotos();
      await settle(1);
      expect(dataOf(page).photos).toHaveLength(2);
      page.instance.onRemovePhoto({ detail: { index: 1 } });
      const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
      page.instance.onDateChange(input(tomorrow));
      page.instance.onTimeChange(input('14:30'));
      await settle(1);
      expect(page.querySelector('.scheduled-date')?.dom.textContent).toBe(tomorrow);
      expect(page.querySelector('.scheduled-time')?.dom.textContent).toBe('14:30');

      await page.instance.onSubmit();
      await settle(1);
      expect(page.dom.textContent).toContain('下单成功');
      const [order] = await api.rows('orders', { user_id: (await api.rows('users', { openid: 'dev-photos' }))[0].id });
      const uploads = await api.rows('uploads', { purpose: 'order' });
      const kept = dataOf(page).photos as { id: number }[];
      expect(kept).toHaveLength(1);
      expect(uploads.map((u) => u.id)).toContain(kept[0].id);
      const images = typeof order.images === 'string' ? (JSON.parse(order.images) as unknown[]) : order.images;
      expect(images).toEqual([kept[0].id]);
      expect(new Date(order.scheduled_at as string).toISOString()).toBe(new Date(`${tomorrow}T14:30:00+08:00`).toISOString());

      expect(subscribe).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['tmpl-accepted', 'tmpl-completed'] }));
      const posted = bridge.requests.find((r) => r.url === '/api/messages/subscriptions');
      expect(posted?.data).toEqual({ templateIds: ['tmpl-accepted', 'tmpl-completed'], accepted: ['tmpl-accepted'] });

      page.instance.onViewOrder();
      expect(bridge.navigations).toContainEqual({
        api: 'redirectTo',
        url: `/pages/user/order-detail/order-detail?id=${String(order.id)}`,
      });
    } finally {
      Object.assign(develop.subscribeTemplates, { orderAccepted: '', orderCompleted: '' });
    }
  });

  it('when no subscribe templates are configured, then submitting asks nothing and posts nothing', async () => {
    const subscribe = vi.spyOn(wx, 'requestSubscribeMessage');
    const { bridge, page } = await openPage('nosub');
    fillForm(page);
    await page.instance.onSubmit();
    await settle(1);
    expect(page.dom.textContent).toContain('下单成功');
    expect(subscribe).not.toHaveBeenCalled();
    expect(bridge.requests.some((r) => r.url === '/api/messages/subscriptions')).toBe(false);
  });

  it('when the phone number is invalid, then the form says so and nothing is sent', async () => {
    const { bridge, page } = await openPage('badphone');
    fillForm(page, '12345678901');
    await page.instance.onSubmit();
    await settle(1);
    expect(page.querySelector('.form-error')?.dom.textContent).toBe('请输入正确的手机号');
    expect(creates(bridge.requests)).toHaveLength(0);
  });

  it('when the first submit fails on the network, then the retry reuses the same Idempotency-Key and one order exists', async () => {
    const { bridge, page } = await openPage('retry');
    fillForm(page);
    let failNext = true;
    bridge.intercept = (req) => {
      if (req.method === 'POST' && req.url === '/api/orders' && failNext) {
        failNext = false;
        return NETWORK_FAILURE;
      }
      return undefined;
    };
    await page.instance.onSubmit();
    await settle(1);
    expect(page.querySelector('.form-error')?.dom.textContent).toBe('网络异常，请稍后重试');
    await page.instance.onSubmit();
    await settle(1);

    const sent = creates(bridge.requests);
    expect(sent).toHaveLength(2);
    expect(sent[1].header['Idempotency-Key']).toBe(sent[0].header['Idempotency-Key']);
    expect(sent[1].data).toMatchObject({
      faultType: prices[1].faultType,
      urgentType: 'urgent',
      contactName: '张三',
      contactPhone: '13800138000',
      region: '广东省 深圳市 南山区',
      address: '广东省深圳市南山区科技园路 1 号阳光小区',
      latitude: 22.54,
      longitude: 113.95,
    });
    const [user] = await api.rows('users', { openid: 'dev-retry' });
    const orders = await api.rows('orders', { user_id: user.id });
    expect(orders).toHaveLength(1);
    expect(page.dom.textContent).toContain('下单成功');
    expect(page.dom.textContent).toContain(orders[0].order_no as string);
    expect(page.dom.textContent).toContain('待接单');
  });

  it('when the form changes after a failed submit, then the next submit uses a new Idempotency-Key', async () => {
    const { bridge, page } = await openPage('changed');
    fillForm(page);
    bridge.intercept = (req) => (req.method === 'POST' && req.url === '/api/orders' ? NETWORK_FAILURE : undefined);
    await page.instance.onSubmit();
    page.instance.onDescriptionInput(input('客厅插座没有电，总闸一直跳闸'));
    await page.instance.onSubmit();
    const [first, second] = creates(bridge.requests);
    expect(first.header['Idempotency-Key']).not.toBe(second.header['Idempotency-Key']);
    expect(bridge.toasts).toContain('网络异常，请稍后重试');
  });

  it('when not logged in, then submitting opens the login page instead of sending', async () => {
    const { bridge, page } = await openPage(null);
    fillForm(page);
    await page.instance.onSubmit();
    expect(bridge.navigations).toContainEqual({ api: 'navigateTo', url: '/pages/login/login' });
    expect(creates(bridge.requests)).toHaveLength(0);
  });

  it('when the map picker fails, then a refusal leads to the settings and retries, and any other failure is shown; a cancel says nothing', async () => {
    const { bridge, page } = await openPage('chooser');
    let answer = 'chooseLocation:fail auth deny';
    vi.spyOn(wx, 'chooseLocation').mockImplementation(((opts: WechatMiniprogram.ChooseLocationOption) => {
      if (answer) opts.fail?.({ errMsg: answer } as never);
      else
        opts.success?.({
          name: '阳光小区',
          address: '杭州市西湖区文三路 1 号',
          latitude: 30.27,
          longitude: 120.13,
          errMsg: 'chooseLocation:ok',
        });
    }) as never);
    const settings = vi.spyOn(wx, 'openSetting').mockImplementation(((opts: WechatMiniprogram.OpenSettingOption) => {
      answer = '';
      opts.success?.({ authSetting: { 'scope.userLocation': true }, errMsg: 'openSetting:ok' } as never);
    }) as never);
    page.instance.onChooseLocation();
    await settle();
    expect(settings).toHaveBeenCalledTimes(1);
    expect(dataOf(page).latitude).toBe(30.27);

    answer = 'chooseLocation:fail cancel';
    page.instance.onChooseLocation();
    answer = 'chooseLocation:fail system error';
    page.instance.onChooseLocation();
    await settle();
    expect(bridge.toasts).toEqual(['打开地图选点失败：system error']);
  });
});

describe('下单页：少打字（地址簿、微信地址、草稿）', () => {
  const HOME = {
    contactName: '王阿姨',
    contactPhone: '13912345678',
    region: '浙江省 杭州市 西湖区',
    address: '文三路 100 号 2 单元 301',
    latitude: 30.28,
    longitude: 120.13,
    tag: '家',
  };

  async function saveAddress(name: string, fields: Record<string, unknown>): Promise<number> {
    const res = await api.call<{ id: number }>('POST', '/api/addresses', (await api.login(name)).token, fields);
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  it('when the customer has a default address, then it is preselected and the order goes to it by addressId; 更换 takes the address book’s pick', async () => {
    const home = await saveAddress('book', HOME);
    const office = await saveAddress('book', { ...HOME, address: '学院路 28 号 5 楼', tag: '公司', latitude: 30.29 });
    const { bridge, page } = await openPage('book');
    expect(page.querySelector('.chosen')?.dom.textContent).toContain('家浙江省 杭州市 西湖区 文三路 100 号 2 单元 301');
    expect(page.querySelector('.chosen')?.dom.textContent).toContain('王阿姨 13912345678');
    // No contact or address to type.
    expect(page.querySelector('.locate')).toBeFalsy();

    page.querySelector('.chosen')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: '/pages/user/addresses/addresses?select=1' });
    // The address book page picks the office (as its select mode does), and the form shows it on return.
    const addresses = (await api.call<unknown[]>('GET', '/api/addresses', (await api.login('book')).token)).body.data;
    pageModule<{ addressPick: { pick(a: unknown): void } }>('stores/address-pick.ts').addressPick.pick(
      addresses.find((a) => (a as { id: number }).id === office),
    );
    page.instance.onShow();
    await settle(1);
    expect(page.querySelector('.chosen')?.dom.textContent).toContain('公司');

    page.instance.onDescriptionInput(input('办公室插座全部没电'));
    page.querySelector('.submit')!.dispatchEvent('tap');
    await eventually(() => expect(page.dom.textContent).toContain('下单成功'));
    const sent = creates(bridge.requests)[0].data as Record<string, unknown>;
    expect(sent).toMatchObject({ addressId: office, description: '办公室插座全部没电' });
    expect(sent).not.toHaveProperty('contactPhone');
    const [order] = await api.rows('orders', { id: (dataOf(page).created as { id: number }).id });
    expect(order).toMatchObject({ address: '学院路 28 号 5 楼', contact_name: '王阿姨', contact_phone: '13912345678' });
    expect(Number(order.latitude)).toBeCloseTo(30.29);
    expect(home).not.toBe(office);
  });

  it('when the place is typed, then after the order it is saved to 我的地址, and not when the switch is off', async () => {
    const { page } = await openPage('typed');
    expect(page.querySelector('.save-to-book')).toBeTruthy();
    fillForm(page);
    await page.instance.onSubmit();
    await eventually(async () => {
      const book = (await api.call<Record<string, unknown>[]>('GET', '/api/addresses', (await api.login('typed')).token)).body
        .data;
      expect(book).toEqual([
        expect.objectContaining({
          contactName: '张三',
          region: '广东省 深圳市 南山区',
          address: '广东省深圳市南山区科技园路 1 号阳光小区',
          isDefault: true,
        }),
      ]);
    });

    const other = await openPage('typed-off');
    fillForm(other.page);
    other.page.instance.onSaveToBookChange({ detail: { value: false } });
    await other.page.instance.onSubmit();
    await eventually(() => expect(other.page.dom.textContent).toContain('下单成功'));
    await settle(5);
    expect((await api.call<unknown[]>('GET', '/api/addresses', (await api.login('typed-off')).token)).body.data).toEqual([]);
  });

  it('when the page is left half-filled, then reopening puts the draft back (清空 empties it), and a placed order clears it', async () => {
    const first = await openPage('draft');
    first.page.instance.onFaultChange(input('1'));
    first.page.instance.onUrgentChange({ detail: { value: true } });
    first.page.instance.onDescriptionInput(input('卫生间浴霸不亮，开关有焦味'));
    first.page.instance.onNameInput(input('赵六'));

    // Same phone, the page opened again later.
    const page = renderPage('pages/user/order/order');
    page.instance.onLoad({});
    await eventually(() => expect(dataOf(page).loading).toBe(false));
    expect(page.querySelector('.draft')?.dom.textContent).toContain('已恢复上次未提交的内容');
    expect(dataOf(page)).toMatchObject({
      faultIndex: 1,
      urgent: true,
      description: '卫生间浴霸不亮，开关有焦味',
      contactName: '赵六',
    });
    expect(page.querySelector('.estimate')?.dom.textContent).toBe(yuan(prices[1].estimatedAmount + prices[1].urgentSurcharge));

    page.querySelector('.clear-draft')!.dispatchEvent('tap');
    await settle(1);
    expect(dataOf(page)).toMatchObject({ description: '', urgent: false, faultIndex: 0 });
    expect(page.querySelector('.draft')).toBeFalsy();

    fillForm(page);
    await page.instance.onSubmit();
    await eventually(() => expect(page.dom.textContent).toContain('下单成功'));
    expect(first.bridge.current().storage.has(`draft.order.${(await api.rows('users', { openid: 'dev-draft' }))[0].id}`)).toBe(
      false,
    );
  });

  it('when a WeChat address is imported, then contact, region and street fill in and the map point is still asked for', async () => {
    vi.spyOn(wx, 'chooseAddress').mockImplementation(((opts: WechatMiniprogram.ChooseAddressOption) => {
      opts.success?.({
        userName: '孙七',
        telNumber: '139-0000-2222',
        provinceName: '上海市',
        cityName: '上海市',
        countyName: '徐汇区',
        detailInfo: '漕溪北路 88 号 1201',
        postalCode: '200030',
        nationalCode: '310104',
        streetName: '',
        detailInfoNew: '',
        errMsg: 'chooseAddress:ok',
      } as never);
    }) as never);
    const { page } = await openPage('wechat-address');
    page.querySelector('.import-wechat')!.dispatchEvent('tap');
    await eventually(() => expect(dataOf(page).contactName).toBe('孙七'));
    expect(dataOf(page)).toMatchObject({
      contactPhone: '13900002222',
      region: '上海市 上海市 徐汇区',
      address: '漕溪北路 88 号 1201',
      latitude: null,
    });
    page.instance.onDescriptionInput(input('厨房跳闸后合不上'));
    await page.instance.onSubmit();
    expect(page.querySelector('.form-error')?.dom.textContent).toBe('请在地图上选择上门地址');
  });
});

describe('下单页：从首页的服务进入', () => {
  it('when opened with ?faultType=, then that fault type and its fees are preselected', async () => {
    const bridge = bridgeWx(api);
    const device = bridge.device('from-home');
    await device.signIn(await api.login('from-home'));
    bridge.use(device);
    const page = renderPage('pages/user/order/order');
    page.instance.onLoad({ faultType: prices[3].faultType });
    await eventually(() => expect(dataOf(page).loading).toBe(false));
    expect(page.querySelector('.fault-name')?.dom.textContent).toBe(prices[3].name);
    expect(page.querySelector('.visit-fee')?.dom.textContent).toBe(yuan(prices[3].visitFee));
  });
});
