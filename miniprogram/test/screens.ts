/// <reference types="node" />
/**
 * Every page of app.json in its main states, set up with demo data through the live API (dev
 * sign-in, orders placed and advanced through the real endpoints) and opened on its own "phone" as
 * WeChat would (onLoad, onShow). `npm run screenshots` photographs all of them; the layout test
 * (test/__tests__/layout.test.ts) measures a few.
 */
import { vi } from 'vitest';
import { advanceOrder, locateAt, pageModule, pageRealtime, placeOrder, SITE, upload } from './journey';
import { bridgeWx, eventually, type LiveApi, type LiveSession, type LiveWx } from './live';
import { isTabPage, renderTabBar, type PageShot } from './render';
import { NETWORK_FAILURE, renderPage, settle } from './setup';

export type State = 'loading' | 'empty' | 'filled' | 'error';

export interface ScreenSpec {
  /** File name stem: `<name>-<state>`. */
  name: string;
  pagePath: string;
  state: State;
  /** Sets up the data, opens the page and waits for it to settle in `state`. */
  open(ctx: ScreenContext): Promise<PageShot>;
}

export interface ScreenContext {
  api: LiveApi;
  /** A fresh bridge per screen (the previous screen's mocks are restored after it). */
  bridge: LiveWx;
}

type Who = LiveSession | null;
type Query = Record<string, string>;

/** A name no other screen uses (each screen has its own users and orders). */
let serial = 0;
const fresh = (tag: string) => `${tag}${(serial += 1)}`;

/** Where the demo electricians work (a customer's orders here are in their radius). */
const FAR_AWAY = { latitude: 39.9, longitude: 116.4 };

const text = (shot: { page: { dom: { textContent: string | null } } }) => shot.page.dom.textContent ?? '';

/**
 * Opens `pagePath` on a phone signed in as `who` (or signed out). `loading` is captured right after
 * onLoad/onShow, before the network answers; `error` has every GET fail as a lost network does;
 * otherwise the page is left until it no longer shows 加载中… and its sockets and images are in.
 */
async function openPage(ctx: ScreenContext, who: Who, pagePath: string, state: State, query: Query = {}): Promise<PageShot> {
  const device = ctx.bridge.device(fresh('phone'));
  if (who) await device.signIn(who);
  ctx.bridge.use(device);
  const g = globalThis as unknown as { getCurrentPages?: () => { route: string }[] };
  g.getCurrentPages = () => [{ route: pagePath }];
  const tabBar = isTabPage(pagePath) ? await renderTabBar(pagePath) : undefined;
  let title: string | undefined;
  vi.spyOn(wx, 'setNavigationBarTitle').mockImplementation(((o: { title: string }) => {
    title = o.title;
  }) as never);
  if (state === 'error') ctx.bridge.intercept = (req) => (req.method === 'GET' ? NETWORK_FAILURE : undefined);
  const page = renderPage(pagePath);
  const instance = page.instance as { onLoad?(q: Query): void; onShow?(): void };
  instance.onLoad?.(query);
  instance.onShow?.();
  const shot = (): PageShot => ({ pagePath, page, tabBar, title });
  if (state === 'loading') return shot();
  await eventually(() => {
    if (text(shot()).includes('加载中…')) throw new Error(`${pagePath} still loading`);
  }).catch(() => undefined);
  await settle(20);
  return shot();
}

/** Ends a screen: sockets closed so that no push reaches the next one. */
export function closeScreen(ctx: ScreenContext): void {
  ctx.bridge.intercept = undefined;
  pageRealtime().disconnect();
  delete (globalThis as { getCurrentPages?: unknown }).getCurrentPages;
}

async function customer(ctx: ScreenContext) {
  return ctx.api.login(fresh('cust'));
}

/** A customer with an order in each main state: pending, quoted, completed (unpaid) and paid. */
async function busyCustomer(ctx: ScreenContext) {
  const { api } = ctx;
  const c = await customer(ctx);
  const e = await api.loginAsElectrician(fresh('elec'));
  const photo = await upload(api, c, 'order', fresh('fault'));
  const pending = await placeOrder(api, c, {
    faultType: 'lighting',
    description: '客厅吊灯闪烁，开关后仍然微亮',
    images: [photo.id],
  });
  const quoted = await placeOrder(api, c, { description: '厨房插座冒火花，总闸跳闸' });
  await advanceOrder(api, quoted.id, e, c, 'quoted');
  const completed = await placeOrder(api, c, { faultType: 'installation', description: '卧室插座松动，插头插不稳' });
  await advanceOrder(api, completed.id, e, c, 'completed');
  const paid = await placeOrder(api, c, { faultType: 'maintenance', description: '卫生间开关进水失灵' });
  await advanceOrder(api, paid.id, e, c, 'paid');
  return { c, e, pending, quoted, completed, paid };
}

/** An electrician with an accepted order and one in progress. */
async function busyElectrician(ctx: ScreenContext) {
  const { api } = ctx;
  const e = await api.loginAsElectrician(fresh('elec'));
  const c = await customer(ctx);
  const accepted = await placeOrder(api, c, { description: '配电箱漏电保护器频繁跳闸' });
  await advanceOrder(api, accepted.id, e, c, 'accepted');
  const working = await placeOrder(api, c, { faultType: 'lighting', description: '走廊灯不亮，换灯泡无效' });
  await advanceOrder(api, working.id, e, c, 'in_progress');
  return { e, c, accepted, working };
}

/** A customer and an electrician on an accepted order, with its conversation and a few messages. */
async function orderChat(ctx: ScreenContext, messages: boolean) {
  const { api } = ctx;
  const c = await customer(ctx);
  const e = await api.loginAsElectrician(fresh('elec'));
  const order = await placeOrder(api, c);
  await advanceOrder(api, order.id, e, c, 'accepted');
  let conversationId = 0;
  await eventually(async () => {
    const list = await api.call<{ id: number; orderId: number }[]>('GET', '/api/chat/conversations', c.token);
    conversationId = list.body.data.find((x) => x.orderId === order.id)?.id ?? 0;
    if (!conversationId) throw new Error('no conversation yet');
  });
  if (messages) {
    const say = (who: LiveSession, content: string) =>
      api.call('POST', `/api/chat/conversations/${conversationId}/messages`, who.token, { type: 'text', content });
    await say(e, '您好，我是接单的电工，大约 20 分钟到');
    await say(c, '好的，小区东门进来 2 幢');
    await say(e, '需要带空气开关吗？是哪个牌子的');
    await say(c, '正泰的，32A，配电箱在门口鞋柜上面');
  }
  return { c, e, order, conversationId };
}

/** A customer's address book: home (the default) and the office; returns their ids. */
async function savedAddresses(ctx: ScreenContext, c: LiveSession): Promise<number[]> {
  const ids: number[] = [];
  const place = { contactName: '王阿姨', contactPhone: '13912345678', region: '浙江省 杭州市 西湖区', ...SITE };
  for (const entry of [
    { address: '文三路 100 号 2 单元 301', tag: '家' },
    { address: '学院路 28 号华星科技大厦 5 楼 502', tag: '公司', latitude: SITE.latitude + 0.01 },
  ]) {
    const res = await ctx.api.call<{ id: number }>('POST', '/api/addresses', c.token, { ...place, ...entry });
    ids.push(res.body.data.id);
  }
  return ids;
}

/** A household price list, published once through the console's API (the same items the demo seed has). */
async function publishedPriceList(ctx: ScreenContext): Promise<void> {
  const published = await ctx.api.call<unknown[]>('GET', '/api/catalog/items');
  if (published.body.data.length > 0) return;
  const admin = await ctx.api.loginAsAdmin();
  const items: [string, string, 'labour' | 'material', string, number, number, string[]][] = [
    ['L-DIAG', '故障排查', 'labour', '次', 5000, 10000, ['circuit', 'appliance', 'lighting', 'emergency', 'other']],
    ['L-SOCKET', '更换插座', 'labour', '个', 3000, 5000, ['circuit', 'installation']],
    ['L-SWITCH', '更换开关', 'labour', '个', 3000, 5000, ['circuit', 'lighting']],
    ['L-MCB', '更换空气开关', 'labour', '个', 5000, 8000, ['circuit', 'emergency']],
    ['L-LAMP', '灯具安装', 'labour', '盏', 5000, 10000, ['lighting', 'installation']],
    ['L-WIRING', '明线敷设', 'labour', '米', 1500, 2500, ['circuit', 'installation']],
    ['M-SOCKET-5', '五孔插座（86 型）', 'material', '个', 1800, 2800, ['circuit', 'installation']],
    ['M-SWITCH-1', '单开单控开关', 'material', '个', 1500, 2500, ['lighting', 'circuit']],
    ['M-MCB-1P', '空气开关 1P 20A', 'material', '个', 3500, 5500, ['circuit', 'emergency']],
    ['M-RCD-2P', '漏电保护器 2P 40A', 'material', '个', 12000, 18000, ['circuit', 'emergency']],
    ['M-WIRE-BV25', 'BV 2.5 mm² 铜芯线', 'material', '米', 350, 550, ['circuit', 'installation']],
    ['M-LED-CEIL', 'LED 吸顶灯 24W', 'material', '盏', 12000, 18000, ['lighting']],
  ];
  for (const [code, name, category, unit, standardPrice, maxPrice, faultTypes] of items) {
    const res = await ctx.api.call('POST', '/api/admin/catalog/items', admin.token, {
      code,
      name,
      category,
      unit,
      standardPrice,
      maxPrice,
      faultTypes,
    });
    if (res.status !== 201) throw new Error(`price list item ${code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** The demo warehouse, stocked with the price list's materials (once). */
async function stockedWarehouse(ctx: ScreenContext): Promise<number> {
  await publishedPriceList(ctx);
  const admin = await ctx.api.loginAsAdmin();
  const existing = await ctx.api.call<{ id: number; name: string }[]>('GET', '/api/admin/warehouses', admin.token);
  const found = existing.body.data.find((w) => w.name === '西湖中心仓');
  if (found) return found.id;
  const made = await ctx.api.call<{ id: number }>('POST', '/api/admin/warehouses', admin.token, {
    name: '西湖中心仓',
    address: '杭州市西湖区文三路 100 号',
  });
  const items = await ctx.api.call<{ id: number; category: string }[]>('GET', '/api/catalog/items?category=material');
  for (const item of items.body.data)
    await ctx.api.call('POST', '/api/admin/stock/movements', admin.token, {
      warehouseId: made.body.data.id,
      catalogItemId: item.id,
      type: 'in',
      quantity: 20,
      note: '采购入库',
    });
  await ctx.api.call('POST', '/api/admin/warehouses', admin.token, {
    name: '滨江备件仓',
    address: '杭州市滨江区江南大道 588 号',
  });
  return made.body.data.id;
}

/** An electrician at work on an order whose parts were asked for, approved and issued (and one more asked for). */
async function issuedParts(ctx: ScreenContext) {
  const warehouseId = await stockedWarehouse(ctx);
  const { e, working } = await busyElectrician(ctx);
  const admin = await ctx.api.loginAsAdmin();
  const items = (await ctx.api.call<{ id: number; name: string }[]>('GET', '/api/catalog/items?category=material')).body.data;
  const pick = (name: string) => items.find((i) => i.name.startsWith(name))!.id;
  const asked = await ctx.api.call<{ id: number }>('POST', `/api/orders/${working.id}/parts-requests`, e.token, {
    warehouseId,
    items: [
      { catalogItemId: pick('LED 吸顶灯'), quantity: 1 },
      { catalogItemId: pick('BV 2.5'), quantity: 6 },
    ],
    note: '走廊灯更换吸顶灯并重新走线',
  });
  for (const step of ['approve', 'issue'])
    await ctx.api.call('POST', `/api/admin/parts-requests/${asked.body.data.id}/${step}`, admin.token, {});
  await ctx.api.call('POST', `/api/orders/${working.id}/parts-requests`, e.token, {
    warehouseId,
    items: [{ catalogItemId: pick('单开单控开关'), quantity: 2 }],
  });
  return { e, working, requestId: asked.body.data.id };
}

/** A company invoice for a paid order, issued by finance with an uploaded scan. */
async function issuedInvoice(ctx: ScreenContext, c: LiveSession, orderId: number): Promise<void> {
  const asked = await ctx.api.call<{ id: number }>('POST', `/api/orders/${orderId}/invoice`, c.token, {
    titleType: 'company',
    title: '杭州西湖示例科技有限公司',
    taxNumber: '91350100M000100Y43',
    email: 'finance@example.com',
  });
  if (asked.status !== 201) throw new Error(`invoice: ${asked.status} ${JSON.stringify(asked.body)}`);
  const admin = await ctx.api.loginAsAdmin();
  const file = await upload(ctx.api, admin, 'invoice', fresh('invoice'));
  // Invoice numbers are unique: 20 digits, the last ones this invoice's id.
  const issued = await ctx.api.call('POST', `/api/admin/invoices/${asked.body.data.id}/issue`, admin.token, {
    invoiceNo: `243320000000${String(asked.body.data.id).padStart(8, '0')}`,
    fileUploadId: file.id,
  });
  if (issued.status !== 200) throw new Error(`issue: ${issued.status} ${JSON.stringify(issued.body)}`);
}

/**
 * An electrician with two paid orders settled into the wallet (the API's clock moves past the
 * settlement delay), one withdrawal that arrived and one waiting for the electrician to confirm it.
 */
async function walletWithHistory(ctx: ScreenContext): Promise<LiveSession> {
  const { api } = ctx;
  const name = fresh('elec');
  const hired = await api.loginAsElectrician(name);
  for (const description of ['厨房插座冒火花，总闸跳闸', '卫生间开关进水失灵']) {
    const c = await customer(ctx);
    const order = await placeOrder(api, c, { description });
    await advanceOrder(api, order.id, hired, c, 'paid');
  }
  await api.advance(8 * 24 * 3600 * 1000);
  await api.runJobs();
  // A week on, the session has expired: signed in again.
  const e = await api.login(name);
  const withdraw = async (amount: number) => {
    const res = await fetch(`${api.url}/api/electricians/me/withdrawals`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${e.token}`,
        'content-type': 'application/json',
        'idempotency-key': fresh('withdrawal-'),
      },
      body: JSON.stringify({ amount }),
    });
    const body = (await res.json()) as { data: { withdrawalNo: string } };
    if (res.status !== 201) throw new Error(`withdraw: ${res.status} ${JSON.stringify(body)}`);
    return body.data.withdrawalNo;
  };
  const arrived = await withdraw(5000);
  await api.call('POST', `/api/dev/withdrawals/${arrived}/confirm`, e.token, {});
  await withdraw(3000);
  return e;
}

type Opener = (ctx: ScreenContext, state: State) => Promise<PageShot>;

const screens: [name: string, pagePath: string, states: State[], open: Opener][] = [
  [
    'index',
    'pages/index/index',
    ['loading', 'filled', 'error'],
    async (ctx, s) => openPage(ctx, await customer(ctx), 'pages/index/index', s),
  ],
  [
    'index-current',
    'pages/index/index',
    ['filled'],
    async (ctx, s) => openPage(ctx, (await busyCustomer(ctx)).c, 'pages/index/index', s),
  ],
  [
    'hall',
    'pages/hall/hall',
    ['loading', 'empty', 'filled', 'error'],
    async (ctx, s) => {
      const e = await ctx.api.loginAsElectrician(fresh('elec'));
      if (s === 'filled') {
        const photo = async (c: LiveSession) => [(await upload(ctx.api, c, 'order', fresh('hall'))).id];
        const c1 = await customer(ctx);
        const c2 = await customer(ctx);
        const c3 = await customer(ctx);
        await placeOrder(ctx.api, c1, { description: '厨房插座冒火花，总闸跳闸', images: await photo(c1) });
        await placeOrder(ctx.api, c2, {
          faultType: 'lighting',
          urgentType: 'urgent',
          latitude: SITE.latitude + 0.01,
          description: '客厅吊灯闪烁不停',
        });
        await placeOrder(ctx.api, c3, {
          faultType: 'installation',
          latitude: SITE.latitude - 0.02,
          description: '卧室插座没电，别的房间正常',
        });
      }
      // The empty hall: the electrician is in another city, away from every open order.
      locateAt(s === 'empty' ? FAR_AWAY : SITE);
      return openPage(ctx, e, 'pages/hall/hall', s);
    },
  ],
  [
    // Resting: the workspace header's switch is off and the hall asks to go online.
    'hall-offline',
    'pages/hall/hall',
    ['filled'],
    async (ctx, s) => {
      const e = await ctx.api.loginAsElectrician(fresh('elec'), { workStatus: 'offline' });
      locateAt(SITE);
      return openPage(ctx, e, 'pages/hall/hall', s);
    },
  ],
  [
    // A card tapped: the preview sheet with its 抢单 action, over the tab bar.
    'hall-preview',
    'pages/hall/hall',
    ['filled'],
    async (ctx, s) => {
      const e = await ctx.api.loginAsElectrician(fresh('elec'));
      const c = await customer(ctx);
      const photo = await upload(ctx.api, c, 'order', fresh('preview'));
      const order = await placeOrder(ctx.api, c, { description: '阳台灯和插座同时没电，空开合不上', images: [photo.id] });
      locateAt(SITE);
      const shot = await openPage(ctx, e, 'pages/hall/hall', s);
      shot.page.instance.onOpenCard({ currentTarget: { dataset: { id: order.id } } });
      await settle(5);
      return shot;
    },
  ],
  [
    'orders-customer',
    'pages/orders/orders',
    ['loading', 'empty', 'filled', 'error'],
    async (ctx, s) => openPage(ctx, s === 'filled' ? (await busyCustomer(ctx)).c : await customer(ctx), 'pages/orders/orders', s),
  ],
  [
    'orders-electrician',
    'pages/orders/orders',
    ['empty', 'filled'],
    async (ctx, s) =>
      openPage(
        ctx,
        s === 'filled' ? (await busyElectrician(ctx)).e : await ctx.api.loginAsElectrician(fresh('elec')),
        'pages/orders/orders',
        s,
      ),
  ],
  [
    'messages',
    'pages/common/messages/messages',
    ['loading', 'empty', 'filled', 'error'],
    async (ctx, s) => {
      if (s !== 'filled') return openPage(ctx, await customer(ctx), 'pages/common/messages/messages', s);
      const { c } = await busyCustomer(ctx);
      // Notifications are written after each commit (event outbox): wait for the last one.
      await eventually(async () => {
        const res = await ctx.api.call<unknown[]>('GET', '/api/messages', c.token);
        if ((res.body.data ?? []).length < 4) throw new Error('notifications not in yet');
      });
      return openPage(ctx, c, 'pages/common/messages/messages', s);
    },
  ],
  [
    'me-customer',
    'pages/me/me',
    ['loading', 'filled', 'error'],
    async (ctx, s) => openPage(ctx, s === 'filled' ? (await busyCustomer(ctx)).c : await customer(ctx), 'pages/me/me', s),
  ],
  [
    'me-electrician',
    'pages/me/me',
    ['filled'],
    async (ctx, s) => openPage(ctx, (await busyElectrician(ctx)).e, 'pages/me/me', s),
  ],
  ['login', 'pages/login/login', ['filled'], async (ctx, s) => openPage(ctx, null, 'pages/login/login', s)],
  [
    'chat',
    'pages/common/chat/chat',
    ['loading', 'empty', 'filled', 'error'],
    async (ctx, s) => {
      const chat = await orderChat(ctx, s === 'filled');
      return openPage(ctx, chat.c, 'pages/common/chat/chat', s, { conversationId: String(chat.conversationId) });
    },
  ],
  [
    'customer-service',
    'pages/common/customer-service/customer-service',
    ['loading', 'error'],
    async (ctx, s) => {
      // Its only request is a POST: the error state is a lost network for every request.
      const c = await customer(ctx);
      if (s === 'error') {
        const shot = openPage(ctx, c, 'pages/common/customer-service/customer-service', 'filled');
        ctx.bridge.intercept = () => NETWORK_FAILURE;
        return shot;
      }
      return openPage(ctx, c, 'pages/common/customer-service/customer-service', s);
    },
  ],
  [
    // The customer-service conversation: the welcome card, a question answered by the bot's card.
    'customer-service-bot',
    'pages/common/chat/chat',
    ['empty', 'filled'],
    async (ctx, s) => {
      const c = await customer(ctx);
      const opened = await ctx.api.call<{ id: number }>('POST', '/api/chat/customer-service', c.token);
      if (s === 'filled')
        await ctx.api.call('POST', '/api/chat/customer-service/ask', c.token, { question: '师傅上门要收多少钱' });
      return openPage(ctx, c, 'pages/common/chat/chat', s, { conversationId: String(opened.body.data.id), service: '1' });
    },
  ],
  [
    // Handed over: an agent picked the conversation up and answered.
    'customer-service-agent',
    'pages/common/chat/chat',
    ['filled'],
    async (ctx, s) => {
      const c = await customer(ctx);
      const opened = await ctx.api.call<{ id: number }>('POST', '/api/chat/customer-service', c.token);
      const id = opened.body.data.id;
      await ctx.api.call('POST', '/api/chat/customer-service/ask', c.token, { question: '电工修完第二天又跳闸了怎么办' });
      await ctx.api.call('POST', '/api/chat/customer-service/escalate', c.token, {});
      const admin = await ctx.api.loginAsAdmin();
      await ctx.api.call('POST', `/api/chat/conversations/${id}/messages`, admin.token, {
        type: 'text',
        content: '您好，我是客服小王。可以把订单号发我一下吗？我帮您安排师傅免费返修。',
      });
      return openPage(ctx, c, 'pages/common/chat/chat', s, { conversationId: String(id), service: '1' });
    },
  ],
  [
    'agreement',
    'pages/common/agreement/agreement',
    ['filled'],
    async (ctx, s) => openPage(ctx, null, 'pages/common/agreement/agreement', s, { doc: 'privacy' }),
  ],
  [
    'user-order',
    'pages/user/order/order',
    ['loading', 'filled', 'error'],
    async (ctx, s) => {
      locateAt(SITE);
      return openPage(ctx, await customer(ctx), 'pages/user/order/order', s);
    },
  ],
  [
    'user-order-book',
    'pages/user/order/order',
    ['filled'],
    async (ctx, s) => {
      const c = await customer(ctx);
      await savedAddresses(ctx, c);
      return openPage(ctx, c, 'pages/user/order/order', s, { faultType: 'lighting' });
    },
  ],
  [
    'user-addresses',
    'pages/user/addresses/addresses',
    ['loading', 'empty', 'filled', 'error'],
    async (ctx, s) => {
      const c = await customer(ctx);
      if (s === 'filled') await savedAddresses(ctx, c);
      return openPage(ctx, c, 'pages/user/addresses/addresses', s);
    },
  ],
  [
    'user-price-list',
    'pages/user/price-list/price-list',
    ['loading', 'empty', 'filled', 'error'],
    async (ctx, s) => {
      if (s === 'filled') await publishedPriceList(ctx);
      return openPage(ctx, null, 'pages/user/price-list/price-list', s);
    },
  ],
  [
    'user-price-list-lighting',
    'pages/user/price-list/price-list',
    ['filled'],
    async (ctx, s) => {
      await publishedPriceList(ctx);
      return openPage(ctx, null, 'pages/user/price-list/price-list', s, { faultType: 'lighting' });
    },
  ],
  [
    // After the price list's empty state: from here on the price list is published.
    'user-order-references',
    'pages/user/order/order',
    ['filled'],
    async (ctx, s) => {
      await publishedPriceList(ctx);
      locateAt(SITE);
      return openPage(ctx, await customer(ctx), 'pages/user/order/order', s);
    },
  ],
  [
    // The home once the price list is published: repairs from their price on the grid, labour in the fee table.
    'index-priced',
    'pages/index/index',
    ['filled'],
    async (ctx, s) => {
      await publishedPriceList(ctx);
      return openPage(ctx, await customer(ctx), 'pages/index/index', s);
    },
  ],
  [
    'user-address-edit',
    'pages/user/address-edit/address-edit',
    ['empty', 'filled'],
    async (ctx, s) => {
      const c = await customer(ctx);
      const [home] = await savedAddresses(ctx, c);
      return openPage(ctx, c, 'pages/user/address-edit/address-edit', s, s === 'filled' ? { id: String(home) } : {});
    },
  ],
  [
    'dispatch-offer',
    'pages/dispatch-offer/dispatch-offer',
    ['filled'],
    async (ctx, s) => {
      // A real offer: an urgent order dispatched to an electrician on duty, caught by the app's job alerts.
      const e = await ctx.api.loginAsElectrician(fresh('elec'), { emergencyAvailable: true });
      const device = ctx.bridge.device(fresh('phone'));
      await device.signIn(e);
      ctx.bridge.use(device);
      vi.spyOn(wx, 'createInnerAudioContext').mockImplementation((() => ({ src: '', stop() {}, play() {} })) as never);
      vi.spyOn(wx, 'vibrateLong').mockImplementation((() => undefined) as never);
      const g = globalThis as unknown as { getCurrentPages?: () => { route: string }[] };
      g.getCurrentPages = () => [{ route: 'pages/me/me' }];
      const alerts = pageModule<{ startJobAlerts(): () => void; resumeJobAlerts(): void }>('services/job-alerts.ts');
      const stop = alerts.startJobAlerts();
      try {
        alerts.resumeJobAlerts();
        await eventually(() => {
          if (pageRealtime().status() !== 'connected') throw new Error('not connected');
        });
        const order = await placeOrder(ctx.api, await customer(ctx), {
          urgentType: 'urgent',
          description: '配电箱冒烟，闻到焦味，已拉下总闸',
        });
        await eventually(() => {
          if (!ctx.bridge.navigations.some((n) => n.url.includes(`dispatch-offer?orderId=${order.id}`)))
            throw new Error('no offer yet');
        });
        const shot = await openPage(ctx, e, 'pages/dispatch-offer/dispatch-offer', s, { orderId: String(order.id) });
        (shot.page.instance as { onUnload?(): void }).onUnload?.();
        return shot;
      } finally {
        stop();
        await ctx.api.call('PATCH', '/api/electricians/me', e.token, { emergencyAvailable: false, workStatus: 'offline' });
      }
    },
  ],
  [
    'user-order-detail',
    'pages/user/order-detail/order-detail',
    ['loading', 'filled', 'error'],
    async (ctx, s) => {
      const { c, quoted } = await busyCustomer(ctx);
      return openPage(ctx, c, 'pages/user/order-detail/order-detail', s, { id: String(quoted.id) });
    },
  ],
  [
    'user-payment',
    'pages/user/payment/payment',
    ['loading', 'filled', 'error'],
    async (ctx, s) => {
      const { c, completed } = await busyCustomer(ctx);
      return openPage(ctx, c, 'pages/user/payment/payment', s, { orderId: String(completed.id) });
    },
  ],
  [
    'user-evaluate',
    'pages/user/evaluate/evaluate',
    ['loading', 'filled', 'error'],
    async (ctx, s) => {
      const { c, paid } = await busyCustomer(ctx);
      return openPage(ctx, c, 'pages/user/evaluate/evaluate', s, { orderId: String(paid.id) });
    },
  ],
  [
    'user-profile-edit',
    'pages/user/profile-edit/profile-edit',
    ['filled'],
    async (ctx, s) => openPage(ctx, await customer(ctx), 'pages/user/profile-edit/profile-edit', s),
  ],
  [
    'user-complaint',
    'pages/user/complaint/complaint',
    ['filled'],
    async (ctx, s) => {
      const { c, paid } = await busyCustomer(ctx);
      return openPage(ctx, c, 'pages/user/complaint/complaint', s, { orderId: String(paid.id) });
    },
  ],
  [
    'user-delete-account',
    'pages/user/delete-account/delete-account',
    ['filled'],
    async (ctx, s) => openPage(ctx, await customer(ctx), 'pages/user/delete-account/delete-account', s),
  ],
  [
    'electrician-order-detail',
    'pages/electrician/order-detail/order-detail',
    ['loading', 'filled', 'error'],
    async (ctx, s) => {
      const { e, accepted } = await busyElectrician(ctx);
      locateAt(SITE);
      return openPage(ctx, e, 'pages/electrician/order-detail/order-detail', s, { id: String(accepted.id) });
    },
  ],
  [
    'electrician-order-detail-parts',
    'pages/electrician/order-detail/order-detail',
    ['filled'],
    async (ctx, s) => {
      const { e, working } = await issuedParts(ctx);
      return openPage(ctx, e, 'pages/electrician/order-detail/order-detail', s, { id: String(working.id) });
    },
  ],
  [
    'electrician-parts',
    'pages/electrician/parts/parts',
    ['loading', 'filled', 'error'],
    async (ctx, s) => {
      await stockedWarehouse(ctx);
      const { e, accepted } = await busyElectrician(ctx);
      return openPage(ctx, e, 'pages/electrician/parts/parts', s, { orderId: String(accepted.id) });
    },
  ],
  [
    'electrician-parts-settle',
    'pages/electrician/parts/parts',
    ['filled'],
    async (ctx, s) => {
      const { e, working, requestId } = await issuedParts(ctx);
      return openPage(ctx, e, 'pages/electrician/parts/parts', s, {
        orderId: String(working.id),
        requestId: String(requestId),
      });
    },
  ],
  [
    'electrician-repair-input',
    'pages/electrician/repair-input/repair-input',
    ['filled'],
    async (ctx, s) => {
      const { e, working } = await busyElectrician(ctx);
      return openPage(ctx, e, 'pages/electrician/repair-input/repair-input', s, { id: String(working.id) });
    },
  ],
  [
    'electrician-apply',
    'pages/electrician/apply/apply',
    ['filled'],
    async (ctx, s) => openPage(ctx, await customer(ctx), 'pages/electrician/apply/apply', s),
  ],
  [
    'user-invoice',
    'pages/user/invoice/invoice',
    ['loading', 'filled', 'error'],
    async (ctx, s) => {
      const { c, paid } = await busyCustomer(ctx);
      return openPage(ctx, c, 'pages/user/invoice/invoice', s, { orderId: String(paid.id) });
    },
  ],
  [
    // Finance has issued the company invoice: its number, and the button that opens the file.
    'user-invoice-issued',
    'pages/user/invoice/invoice',
    ['filled'],
    async (ctx, s) => {
      const { c, paid } = await busyCustomer(ctx);
      await issuedInvoice(ctx, c, paid.id);
      return openPage(ctx, c, 'pages/user/invoice/invoice', s, { orderId: String(paid.id) });
    },
  ],
  [
    'user-invoices',
    'pages/user/invoices/invoices',
    ['loading', 'empty', 'filled', 'error'],
    async (ctx, s) => {
      if (s !== 'filled') return openPage(ctx, await customer(ctx), 'pages/user/invoices/invoices', s);
      const { c, paid } = await busyCustomer(ctx);
      await issuedInvoice(ctx, c, paid.id);
      const another = await placeOrder(ctx.api, c, { faultType: 'lighting', description: '客厅吊灯闪烁，开关后仍然微亮' });
      await advanceOrder(ctx.api, another.id, await ctx.api.loginAsElectrician(fresh('elec')), c, 'paid');
      await ctx.api.call('POST', `/api/orders/${another.id}/invoice`, c.token, { titleType: 'personal', title: '王阿姨' });
      return openPage(ctx, c, 'pages/user/invoices/invoices', s);
    },
  ],
  [
    // Last: its share settles after SETTLEMENT_DELAY_DAYS, so the API's clock moves on a week here.
    'electrician-wallet',
    'pages/electrician/wallet/wallet',
    ['loading', 'filled', 'error'],
    async (ctx, s) => {
      const e = await walletWithHistory(ctx);
      return openPage(ctx, e, 'pages/electrician/wallet/wallet', s);
    },
  ],
];

/** Every screen: each page of app.json in each of its states. */
export const SCREENS: ScreenSpec[] = screens.flatMap(([name, pagePath, states, open]) =>
  states.map((state) => ({ name, pagePath, state, open: (ctx: ScreenContext) => open(ctx, state) })),
);

export const screen = (name: string, state: State): ScreenSpec => {
  const found = SCREENS.find((s) => s.name === name && s.state === state);
  if (!found) throw new Error(`no screen ${name}-${state}`);
  return found;
};

/** A context for the next screen: a new bridge to the live API. */
export const screenContext = (api: LiveApi): ScreenContext => ({ api, bridge: bridgeWx(api) });
