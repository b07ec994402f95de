/// <reference types="node" />
/**
 * Order set-up straight through the live API (not through pages), for page tests that need an
 * order in a given state: each step is the real endpoint a phone would call.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import type { Realtime } from '../services/realtime';
import { bridgeWx, startLiveApi, type LiveApi, type LiveSession, type LiveWx } from './live';
import { photoFile } from './photos';
import { MINIPROGRAM_ROOT, renderPage, type RenderedPage } from './setup';

/** Where loginAsElectrician places its electricians; orders here are in their radius. */
export const SITE = { latitude: 30.259, longitude: 120.13 };

type Json = Record<string, unknown>;

async function ok<T = Json>(api: LiveApi, method: string, url: string, token: string, body?: unknown): Promise<T> {
  const res = await api.call<T>(method, url, token, body);
  if (!res.body.success) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body.error)}`);
  return res.body.data;
}

export function placeOrder(api: LiveApi, customer: LiveSession, patch: Json = {}) {
  return ok<{ id: number; orderNo: string; status: string }>(api, 'POST', '/api/orders', customer.token, {
    contactName: '王女士',
    contactPhone: '13900139000',
    address: '浙江省杭州市西湖区文三路 100 号 2 幢 301',
    region: '浙江省 杭州市 西湖区',
    ...SITE,
    description: '厨房插座冒火花，总闸跳闸',
    urgentType: 'normal',
    faultType: 'circuit',
    ...patch,
  });
}

/** A multipart upload from the test process (jsdom's FormData cannot go through Node's fetch). */
export async function upload(api: LiveApi, who: LiveSession, purpose: string, tag: string): Promise<{ id: number; url: string }> {
  const file = await photoFile(tag);
  const boundary = `----t${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n${purpose}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\n\r\n`),
    fs.readFileSync(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(`${api.url}/api/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
  });
  const json = (await res.json()) as { success: boolean; data: { id: number; url: string } };
  if (!json.success) throw new Error(`upload: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

export const QUOTE = { items: [{ name: '空气开关', quantity: 1, unitPrice: 4500 }], labourFee: 8000, note: '更换空开' };
export const QUOTE_TOTAL = 4500 + 8000;

/** The electrician's steps, in order; `until` stops after that one. */
export async function advanceOrder(
  api: LiveApi,
  orderId: number,
  electrician: LiveSession,
  customer: LiveSession,
  until: 'accepted' | 'arrived' | 'quoted' | 'in_progress' | 'completed' | 'paid',
): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    ['accepted', () => ok(api, 'POST', `/api/orders/${orderId}/grab`, electrician.token)],
    ['arrived', () => ok(api, 'POST', `/api/orders/${orderId}/arrive`, electrician.token, SITE)],
    ['quoted', () => ok(api, 'POST', `/api/orders/${orderId}/quote`, electrician.token, QUOTE)],
    ['in_progress', () => ok(api, 'POST', `/api/orders/${orderId}/quote/accept`, customer.token, {})],
    [
      'completed',
      async () => {
        const photo = await upload(api, electrician, 'repair', `repair-${orderId}`);
        return ok(api, 'POST', `/api/orders/${orderId}/complete`, electrician.token, {
          repairContent: '更换了损坏的空气开关，线路复测正常',
          repairImages: [photo.id],
        });
      },
    ],
    [
      'paid',
      async () => {
        const payment = await ok<{ paymentNo: string }>(api, 'POST', '/api/payments', customer.token, { orderId });
        return ok(api, 'POST', `/api/dev/payments/${payment.paymentNo}/succeed`, customer.token, {});
      },
    ],
  ];
  for (const [name, step] of steps) {
    await step();
    if (name === until) return;
  }
}

/**
 * The live API for a test file: started before its tests (handed to `started`), mocks restored and
 * a test's `getCurrentPages` stub removed after each test, stopped after the last. `env` (called
 * first) adds to the API's environment.
 */
export function useLiveApi(
  started: (api: LiveApi) => void,
  env: () => Record<string, string> | Promise<Record<string, string>> = () => ({}),
): void {
  let api: LiveApi | undefined;
  beforeAll(async () => {
    api = await startLiveApi({ env: await env() });
    started(api);
  });
  afterAll(async () => {
    await api?.stop();
  });
  afterEach(() => {
    delete (globalThis as { getCurrentPages?: unknown }).getCurrentPages;
    vi.restoreAllMocks();
  });
}

/**
 * Opens a page on `name`'s own phone, signed in as `session`: a new bridge, then onLoad(query)
 * and onShow() as WeChat would (not waiting for the network).
 */
export async function openOnPhone(
  api: LiveApi,
  name: string,
  session: LiveSession,
  pagePath: string,
  query: Record<string, string>,
): Promise<{ bridge: LiveWx; page: RenderedPage }> {
  const bridge = bridgeWx(api);
  const device = bridge.device(name);
  await device.signIn(session);
  bridge.use(device);
  const page = renderPage(pagePath);
  page.instance.onLoad(query);
  page.instance.onShow();
  return { bridge, page };
}

/** A rendered page's data, for assertions on what is not visible as text. */
export function dataOf(page: { instance: { data: unknown } }): Record<string, unknown> {
  return page.instance.data as Record<string, unknown>;
}

/**
 * A module as the pages see it: miniprogram-simulate loads page code through Node's require, so
 * singletons such as services/realtime.ts there are not the ones vitest's import gives a test.
 */
export function pageModule<T>(relativePath: string): T {
  return createRequire(__filename)(path.join(MINIPROGRAM_ROOT, relativePath)) as T;
}

/** The pages' realtime client (to disconnect it between tests, as closing the app would). */
export function pageRealtime(): Realtime {
  return pageModule<{ realtime: Realtime }>('services/realtime.ts').realtime;
}

/** The phone's GPS fix (answered by wx.getLocation). */
export function locateAt(at: { latitude: number; longitude: number }) {
  return vi.spyOn(wx, 'getLocation').mockImplementation(((opts: WechatMiniprogram.GetLocationOption) => {
    opts.success?.({
      ...at,
      speed: 0,
      accuracy: 10,
      altitude: 0,
      verticalAccuracy: 0,
      horizontalAccuracy: 10,
      errMsg: 'getLocation:ok',
    });
  }) as never);
}
