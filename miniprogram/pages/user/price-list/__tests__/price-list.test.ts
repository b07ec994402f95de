// @vitest-environment jsdom
/// <reference types="node" />
import { describe, expect, it } from 'vitest';
import { dataOf, openOnPhone, useLiveApi } from '../../../../test/journey';
import { bridgeWx, eventually, type LiveApi } from '../../../../test/live';
import { renderPage, settle, type RenderedPage } from '../../../../test/setup';

let api: LiveApi;
useLiveApi((started) => (api = started));

const PRICE_LIST = 'pages/user/price-list/price-list';
const text = (page: RenderedPage) => page.dom.textContent ?? '';
const names = (page: RenderedPage, selector: string) =>
  page.querySelectorAll(`${selector} .price__name`).map((r) => r.dom.textContent?.trim());

/** Opens the price list signed out, as a visitor reads it before ordering. */
async function openSignedOut(query: Record<string, string> = {}): Promise<RenderedPage> {
  const bridge = bridgeWx(api);
  bridge.use(bridge.device(`visitor-${Math.random()}`));
  const page = renderPage(PRICE_LIST);
  page.instance.onLoad(query);
  await eventually(() => expect(dataOf(page).loading).toBe(false));
  return page;
}

async function publish(token: string, item: Record<string, unknown>): Promise<number> {
  const res = await api.call<{ id: number }>('POST', '/api/admin/catalog/items', token, {
    category: 'labour',
    unit: '个',
    faultTypes: [],
    ...item,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id;
}

describe('价目表', () => {
  it('when nothing is published yet, then the page says so, and neither promises a list nor offers filters', async () => {
    const page = await openSignedOut();
    expect(text(page)).toContain('价目表还没有发布，费用以师傅上门检查后的报价为准');
    expect(page.querySelector('.intro')).toBeFalsy();
    expect(page.querySelector('.chip')).toBeFalsy();
  });

  it('when the console publishes items, then a visitor sees the active ones by kind with standard and highest prices, filters them by fault type, and the home links here', async () => {
    const admin = await api.loginAsAdmin();
    await publish(admin.token, {
      code: 'L-SOCKET',
      name: '更换插座',
      standardPrice: 3000,
      maxPrice: 5000,
      faultTypes: ['circuit'],
    });
    await publish(admin.token, {
      code: 'L-LAMP',
      name: '灯具安装',
      unit: '盏',
      standardPrice: 5000,
      maxPrice: 10000,
      faultTypes: ['lighting'],
    });
    await publish(admin.token, {
      code: 'M-WIRE',
      name: 'BV 2.5 mm² 铜芯线',
      category: 'material',
      unit: '米',
      standardPrice: 350,
      maxPrice: 550,
      faultTypes: ['circuit'],
    });
    const retired = await publish(admin.token, {
      code: 'L-OLD',
      name: '旧项目',
      standardPrice: 100,
      maxPrice: 200,
      faultTypes: ['appliance'],
    });
    expect((await api.call('PATCH', `/api/admin/catalog/items/${retired}`, admin.token, { active: false })).status).toBe(200);

    const page = await openSignedOut();
    expect(page.querySelector('.intro')).toBeTruthy();
    expect(names(page, '.labour').sort()).toEqual(['更换插座', '灯具安装'].sort());
    expect(names(page, '.material')).toEqual(['BV 2.5 mm² 铜芯线']);
    expect(text(page)).not.toContain('旧项目');
    const socket = page.querySelectorAll('.labour').find((r) => r.dom.textContent?.includes('更换插座'))!;
    expect(socket.dom.textContent).toContain('¥30.00/个');
    expect(socket.dom.textContent).toContain('最高 ¥50.00');
    expect(page.querySelectorAll('.material')[0].dom.textContent).toContain('¥3.50/米');
    // Chips: all, then only the fault types that have an active item (the retired item's 电器维修 has none).
    expect(page.querySelectorAll('.chip').map((c) => c.dom.textContent?.trim())).toEqual(['全部', '电路故障', '灯具照明']);

    page.querySelectorAll('.chip')[2].dispatchEvent('tap');
    await settle(1);
    expect(names(page, '.labour')).toEqual(['灯具安装']);
    expect(page.querySelector('.material')).toBeFalsy();
    page.querySelectorAll('.chip')[0].dispatchEvent('tap');
    await settle(1);
    expect(names(page, '.labour')).toHaveLength(2);

    // A service's fault type opens the list on it; one with no item yet says that class is empty.
    const lighting = await openSignedOut({ faultType: 'lighting' });
    expect(dataOf(lighting).active).toBe('lighting');
    expect(names(lighting, '.labour')).toEqual(['灯具安装']);
    const emergency = await openSignedOut({ faultType: 'emergency' });
    expect(text(emergency)).toContain('这一类暂无价目');
    expect(emergency.querySelectorAll('.chip').map((c) => c.dom.textContent?.trim())).toContain('紧急抢修');

    const { bridge, page: home } = await openOnPhone(api, 'price-home', await api.login('price-home'), 'pages/index/index', {});
    await eventually(() => expect(home.querySelector('.price-list-link')).toBeTruthy());
    home.querySelector('.price-list-link')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: '/pages/user/price-list/price-list' });
  });
});
