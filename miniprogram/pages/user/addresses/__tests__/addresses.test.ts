// @vitest-environment jsdom
/// <reference types="node" />
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dataOf, pageModule, useLiveApi } from '../../../../test/journey';
import { bridgeWx, eventually, type LiveApi, type LiveSession } from '../../../../test/live';
import { renderPage, settle, type RenderedPage } from '../../../../test/setup';

let api: LiveApi;
useLiveApi((started) => (api = started));
afterEach(() => {
  vi.restoreAllMocks();
});

const BOOK = 'pages/user/addresses/addresses';
const EDIT = 'pages/user/address-edit/address-edit';
const PLACE = {
  contactName: '王阿姨',
  contactPhone: '13912345678',
  region: '浙江省 杭州市 西湖区',
  latitude: 30.28,
  longitude: 120.13,
};
const input = (value: string) => ({ detail: { value } });
const text = (page: RenderedPage) => page.dom.textContent ?? '';
const tap = async (page: RenderedPage, selector: string, index = 0) => {
  page.querySelectorAll(selector)[index].dispatchEvent('tap');
  await settle(2);
};

interface Book {
  id: number;
  address: string;
  tag: string | null;
  isDefault: boolean;
  contactName: string;
  contactPhone: string;
  latitude: number;
}

async function phone(name: string): Promise<{ session: LiveSession; bridge: ReturnType<typeof bridgeWx> }> {
  const session = await api.login(name);
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  return { session, bridge };
}

const book = async (s: LiveSession) => (await api.call<Book[]>('GET', '/api/addresses', s.token)).body.data;
async function save(s: LiveSession, fields: Record<string, unknown>): Promise<number> {
  const res = await api.call<{ id: number }>('POST', '/api/addresses', s.token, { ...PLACE, ...fields });
  expect(res.status).toBe(201);
  return res.body.data.id;
}

async function open(pagePath: string, query: Record<string, string> = {}): Promise<RenderedPage> {
  const page = renderPage(pagePath);
  page.instance.onLoad(query);
  page.instance.onShow?.();
  await eventually(() => expect(dataOf(page).loading).toBe(false));
  return page;
}

function confirmModals(): { title: string; content: string }[] {
  const modals: { title: string; content: string }[] = [];
  vi.spyOn(wx, 'showModal').mockImplementation(((opts: WechatMiniprogram.ShowModalOption) => {
    modals.push({ title: opts.title ?? '', content: opts.content ?? '' });
    opts.success?.({ confirm: true, cancel: false, content: '', errMsg: 'showModal:ok' } as never);
  }) as never);
  return modals;
}

describe('我的地址', () => {
  it('when the book has entries, then the default leads; in select mode a tap hands the entry to the order form and goes back', async () => {
    const { session, bridge } = await phone('book-list');
    const home = await save(session, { address: '文三路 100 号 2 单元 301', tag: '家' });
    const office = await save(session, { address: '学院路 28 号 5 楼', tag: '公司' });

    const page = await open(BOOK);
    const rows = page.querySelectorAll('.address');
    expect(rows).toHaveLength(2);
    expect(rows[0].dom.textContent).toMatch(/默认\s*家\s*浙江省 杭州市 西湖区 文三路 100 号 2 单元 301/);
    expect(rows[1].dom.textContent).toContain('公司');
    expect(rows[1].dom.textContent).toContain('王阿姨 13912345678');

    // Manage mode: a tap edits.
    await tap(page, '.address', 1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/${EDIT}?id=${office}` });

    const select = await open(BOOK, { select: '1' });
    await tap(select, '.address', 1);
    expect(bridge.navigations.at(-1)?.api).toBe('navigateBack');
    const picked = pageModule<{ addressPick: { take(): { id: number } | null } }>('stores/address-pick.ts').addressPick.take();
    expect(picked?.id).toBe(office);
    expect(home).not.toBe(office);
  });

  it('when 设为默认 and 删除 are tapped, then the server follows and the list reloads', async () => {
    const { session } = await phone('book-manage');
    await save(session, { address: '文三路 100 号 2 单元 301' });
    const second = await save(session, { address: '学院路 28 号 5 楼' });
    const page = await open(BOOK);

    await tap(page, '.make-default', 1);
    await eventually(async () => expect((await book(session)).find((a) => a.id === second)?.isDefault).toBe(true));
    await eventually(() => expect(page.querySelectorAll('.address')[0].dom.textContent).toContain('学院路 28 号 5 楼'));

    const modals = confirmModals();
    await tap(page, '.delete', 0);
    expect(modals[0].content).toContain('学院路 28 号 5 楼');
    await eventually(async () => expect((await book(session)).map((a) => a.id)).not.toContain(second));
    await eventually(() => expect(page.querySelectorAll('.address')).toHaveLength(1));
    // The remaining entry became the default.
    expect((await book(session))[0].isDefault).toBe(true);
  });

  it('when the book is empty, then it says what it is for and offers 导入微信地址 and 新增地址', async () => {
    const { bridge } = await phone('book-empty');
    const page = await open(BOOK);
    expect(text(page)).toContain('还没有保存地址');
    await tap(page, '.add');
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/${EDIT}` });
  });
});

describe('编辑地址', () => {
  function pickOnMap(point = { latitude: 30.2741, longitude: 120.1551 }) {
    vi.spyOn(wx, 'chooseLocation').mockImplementation(((opts: WechatMiniprogram.ChooseLocationOption) => {
      opts.success?.({ name: '黄龙体育中心', address: '浙江省杭州市西湖区', ...point, errMsg: 'chooseLocation:ok' });
    }) as never);
  }

  it('when a new address is saved, then the map point is required and the entry is stored with its tag', async () => {
    const { session, bridge } = await phone('edit-new');
    await api.call('POST', '/api/auth/bind-phone', session.token, { code: 'dev-phone-13700001111' });
    const page = await open(EDIT);
    // The profile's phone is masked (137****1111): the form does not take it.
    expect(dataOf(page).contactPhone).toBe('');
    page.instance.onNameInput(input('周八'));
    page.instance.onPhoneInput(input('13700001111'));
    page.instance.onRegionChange({ detail: { value: ['浙江省', '杭州市', '西湖区'] } });
    page.instance.onAddressInput(input('黄龙路 1 号 6 幢 502'));
    await tap(page, '.save');
    expect(page.querySelector('.form-error')?.dom.textContent).toBe('请在地图上选择上门地址');
    expect(await book(session)).toEqual([]);

    pickOnMap();
    await tap(page, '.locate');
    page.instance.onAddressInput(input('黄龙路 1 号 6 幢 502'));
    await tap(page, '.tag', 1);
    await tap(page, '.save');
    await eventually(() => expect(bridge.navigations.at(-1)?.api).toBe('navigateBack'));
    expect(await book(session)).toEqual([
      expect.objectContaining({
        contactName: '周八',
        contactPhone: '13700001111',
        address: '黄龙路 1 号 6 幢 502',
        tag: '公司',
        isDefault: true,
        latitude: 30.2741,
      }),
    ]);

    // The next new entry starts with that contact.
    const next = await open(EDIT);
    await eventually(() => expect(dataOf(next)).toMatchObject({ contactName: '周八', contactPhone: '13700001111' }));
  });

  it('when an entry is edited, then the changes are saved with PUT (wx.request has no PATCH) and the tag can be cleared', async () => {
    const { session, bridge } = await phone('edit-existing');
    const id = await save(session, { address: '文三路 100 号 2 单元 301', tag: '家' });
    const page = await open(EDIT, { id: String(id) });
    expect(dataOf(page)).toMatchObject({ address: '文三路 100 号 2 单元 301', tag: '家', isDefault: true });
    page.instance.onPhoneInput(input('13600002222'));
    await tap(page, '.tag', 0); // 家 again: cleared
    await tap(page, '.save');
    await eventually(() => expect(bridge.navigations.at(-1)?.api).toBe('navigateBack'));
    expect(bridge.requests.some((r) => r.method === 'PUT' && r.url === `/api/addresses/${id}`)).toBe(true);
    expect((await book(session))[0]).toMatchObject({ contactPhone: '13600002222', tag: null });
  });

  it('when a WeChat address is imported from the book, then the edit page starts from it and asks for the map point', async () => {
    const { session, bridge } = await phone('edit-import');
    vi.spyOn(wx, 'chooseAddress').mockImplementation(((opts: WechatMiniprogram.ChooseAddressOption) => {
      opts.success?.({
        userName: '孙七',
        telNumber: '13900002222',
        provinceName: '上海市',
        cityName: '上海市',
        countyName: '徐汇区',
        detailInfo: '漕溪北路 88 号 1201',
        errMsg: 'chooseAddress:ok',
      } as never);
    }) as never);
    const list = await open(BOOK);
    await tap(list, '.import');
    await eventually(() => expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/${EDIT}?imported=1` }));

    const page = await open(EDIT, { imported: '1' });
    expect(dataOf(page)).toMatchObject({ contactName: '孙七', region: '上海市 上海市 徐汇区', address: '漕溪北路 88 号 1201' });
    expect(text(page)).toContain('请在地图上确认位置');
    pickOnMap({ latitude: 31.19, longitude: 121.44 });
    await tap(page, '.locate');
    // The imported street address is kept; the map only adds the point.
    expect(dataOf(page).address).toBe('漕溪北路 88 号 1201');
    await tap(page, '.save');
    await eventually(async () =>
      expect(await book(session)).toEqual([expect.objectContaining({ address: '漕溪北路 88 号 1201', latitude: 31.19 })]),
    );
  });
});
