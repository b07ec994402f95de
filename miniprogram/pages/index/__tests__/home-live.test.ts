// @vitest-environment jsdom
/// <reference types="node" />
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceOrder, dataOf, openOnPhone, placeOrder, useLiveApi } from '../../../test/journey';
import { eventually, type LiveApi } from '../../../test/live';
import { MINIPROGRAM_ROOT, settle } from '../../../test/setup';

let api: LiveApi;
useLiveApi((started) => (api = started));

describe('首页：服务与进行中的订单', () => {
  it('when the price list loads, then every fault type is a service tile with its icon and visit fee, and a tap opens the order form on that type', async () => {
    const prices = (await api.call<{ faultType: string; name: string; visitFee: number }[]>('GET', '/api/orders/pricing')).body
      .data;
    const { bridge, page } = await openOnPhone(api, 'home-grid', await api.login('home-grid'), 'pages/index/index', {});
    await eventually(() => expect(page.querySelectorAll('.service')).toHaveLength(prices.length));
    const tiles = page.querySelectorAll('.service');
    const icons = dataOf(page).services as { icon: string }[];
    prices.forEach((p, i) => {
      expect(tiles[i].dom.textContent).toContain(p.name);
      expect(tiles[i].dom.textContent).toContain(`上门 ¥${p.visitFee / 100}`);
      expect(icons[i].icon).toBe(`/assets/icons/services/${p.faultType}.svg`);
    });
    // Every icon is in the package.
    for (const p of prices)
      expect(fs.existsSync(path.join(MINIPROGRAM_ROOT, `assets/icons/services/${p.faultType}.svg`))).toBe(true);
    expect(page.dom.textContent).toContain('实名认证电工');
    expect(page.querySelector('.current')).toBeFalsy();

    tiles[2].dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({
      api: 'navigateTo',
      url: `/pages/user/order/order?faultType=${prices[2].faultType}`,
    });
  });

  it('when the price list has labour for a fault type, then the home’s 收费标准 row names it with its standard price', async () => {
    const prices = (await api.call<{ faultType: string; name: string }[]>('GET', '/api/orders/pricing')).body.data;
    const admin = await api.loginAsAdmin();
    const made = await api.call('POST', '/api/admin/catalog/items', admin.token, {
      code: 'L-HOME-SWITCH',
      name: '更换开关',
      category: 'labour',
      unit: '个',
      standardPrice: 3000,
      maxPrice: 5000,
      faultTypes: [prices[0]!.faultType],
    });
    expect(made.status).toBe(201);
    const { page } = await openOnPhone(api, 'home-refs', await api.login('home-refs'), 'pages/index/index', {});
    await eventually(() => expect(page.querySelectorAll('.price-row')).toHaveLength(prices.length));
    const rows = page.querySelectorAll('.price-row');
    expect(rows[0].dom.textContent).toContain('更换开关 ¥30/个');
    expect(rows[1].dom.textContent).not.toContain('更换开关');
    // The service grid: the type's repairs from their least standard price.
    const tiles = page.querySelectorAll('.service');
    expect(tiles[0].dom.textContent).toContain('维修 ¥30起');
    expect(tiles[1].dom.textContent).not.toContain('起');
  });

  it('when the customer has an order under way, then the home shows it at a glance and leads to it; two or more lead to the orders tab', async () => {
    const customer = await api.login('home-current');
    const electrician = await api.loginAsElectrician('home-current-e');
    const order = await placeOrder(api, customer, { title: '客厅插座没电' });
    await advanceOrder(api, order.id, electrician, customer, 'accepted');
    const { bridge, page } = await openOnPhone(api, 'home-current', customer, 'pages/index/index', {});
    await eventually(() => expect(page.querySelector('.current')?.dom.textContent).toContain('客厅插座没电'));
    expect(page.querySelector('.current')!.dom.textContent).toContain('电工已接单，正在赶来');
    page.querySelector('.current')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'navigateTo', url: `/pages/user/order-detail/order-detail?id=${order.id}` });

    await placeOrder(api, customer, { title: '卧室灯不亮' });
    page.instance.onShow();
    await eventually(() => expect(page.querySelector('.current__label')?.dom.textContent).toBe('进行中的订单（2）'));
    expect(page.querySelector('.current__title')!.dom.textContent).toBe('卧室灯不亮');
    page.querySelector('.current')!.dispatchEvent('tap');
    await settle(1);
    expect(bridge.navigations.at(-1)).toEqual({ api: 'switchTab', url: '/pages/orders/orders' });
  });
});
