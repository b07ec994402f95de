// @vitest-environment jsdom
/// <reference types="node" />
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatMoney } from '../../utils/money';
import {
  API_BASE,
  MINIPROGRAM_ROOT,
  NETWORK_FAILURE,
  fakeWx,
  renderPage,
  settle,
  type FakeRequest,
  type FakeResponse,
} from '../setup';

// The API is loaded by path at run time so the mini-program's type check stays separate from the API's.
interface LiveApp {
  c: unknown;
  db: (table: string) => { where(filter: Record<string, unknown>): Promise<unknown[]> };
  close(): Promise<void>;
}
interface Running {
  url: string;
  stop(graceMs?: number): Promise<void>;
}

const repo = path.resolve(MINIPROGRAM_ROOT, '..');
let t: LiveApp;
let server: Running;

beforeAll(async () => {
  const harness = (await import(path.join(repo, 'api/test/harness.ts'))) as { createTestApp(): Promise<LiveApp> };
  const serverModule = (await import(path.join(repo, 'api/src/server.ts'))) as {
    start(c: unknown, o: { port: number; host: string; jobs: boolean }): Promise<Running>;
  };
  t = await harness.createTestApp();
  server = await serverModule.start(t.c, { port: 0, host: '127.0.0.1', jobs: false });
});

afterAll(async () => {
  await server?.stop(100);
  await t?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** wx.request answered by the live API over HTTP. */
async function live(req: FakeRequest): Promise<FakeResponse> {
  const res = await fetch(req.url.replace(API_BASE, server.url), {
    method: req.method,
    headers: req.header,
    body: req.method === 'GET' ? undefined : JSON.stringify(req.data ?? {}),
  });
  return { status: res.status, body: await res.json() };
}

describe('mini-program against the live API', () => {
  it('when a customer logs in, binds a phone and orders, then the order exists once even though the first answer was lost', async () => {
    let dropNextCreateAnswer = true;
    const fake = fakeWx(async (req) => {
      const res = await live(req);
      if (req.method === 'POST' && req.url.endsWith('/api/orders') && dropNextCreateAnswer) {
        // The server created the order, but the answer never reached the phone.
        dropNextCreateAnswer = false;
        return NETWORK_FAILURE;
      }
      return res;
    });
    vi.spyOn(wx, 'login').mockImplementation(((opts: WechatMiniprogram.LoginOption) => {
      opts.success?.({ code: 'dev-e2e-customer', errMsg: 'login:ok' });
    }) as never);
    vi.spyOn(wx, 'chooseLocation').mockImplementation(((opts: WechatMiniprogram.ChooseLocationOption) => {
      opts.success?.({
        name: '阳光小区',
        address: '广东省深圳市南山区科技园路 1 号',
        latitude: 22.54,
        longitude: 113.95,
        errMsg: 'chooseLocation:ok',
      });
    }) as never);
    (globalThis as unknown as { getCurrentPages: () => unknown[] }).getCurrentPages = () => [];

    const login = renderPage('pages/login/login');
    login.instance.onLoad({});
    await settle(1);
    login.querySelector('.consent')!.dispatchEvent('tap');
    await settle(1);
    await login.instance.onWechatLogin();
    expect(fake.storage.get('session.token')).toEqual(expect.any(String));
    await login.instance.onGetPhoneNumber({ detail: { code: 'dev-phone-13800138000', errMsg: 'getPhoneNumber:ok' } });
    expect(fake.storage.get('session.user')).toMatchObject({ hasPhone: true, phone: '138****8000' });

    const page = renderPage('pages/user/order/order');
    page.instance.onLoad({});
    await settle(20);
    const table = (await (await fetch(`${server.url}/api/orders/pricing`)).json()) as {
      data: { name: string; visitFee: number }[];
    };
    expect(page.querySelector('.fault-name')?.dom.textContent).toBe(table.data[0].name);
    expect(page.querySelector('.visit-fee')?.dom.textContent).toBe(formatMoney(table.data[0].visitFee));

    page.instance.onNameInput({ detail: { value: '张三' } });
    page.instance.onPhoneInput({ detail: { value: '13800138000' } });
    page.instance.onRegionChange({ detail: { value: ['广东省', '深圳市', '南山区'] } });
    page.instance.onChooseLocation();
    page.instance.onDescriptionInput({ detail: { value: '客厅插座没有电，总闸跳闸' } });
    await page.instance.onSubmit();
    expect((page.instance.data as { formError: string }).formError).toBe('网络异常，请稍后重试');
    await page.instance.onSubmit();
    await settle(1);

    const { created } = page.instance.data as { created: { orderNo: string; statusText: string } | null };
    expect(created?.orderNo).toMatch(/^E\d+/);
    expect(created?.statusText).toBe('待接单');
    expect(page.dom.textContent).toContain(created?.orderNo);
    const rows = await t.db('orders').where({ order_no: created?.orderNo });
    expect(rows).toHaveLength(1);
    const all = await t.db('orders').where({});
    expect(all).toHaveLength(1);
  });
});
