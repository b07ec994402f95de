// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail, fakeWx, ok, renderPage, settle, type FakeRequest, type FakeResponse } from '../../../../test/setup';

/** The contract in API.md (the endpoint is built in parallel): POST /api/users/me/delete-account {reason?} → {} | 409 ACCOUNT_BUSY. */
let answer: FakeResponse;
const api = (req: FakeRequest): FakeResponse =>
  req.url.endsWith('/api/users/me/delete-account') ? answer : fail(404, 'NOT_FOUND', 'no route');

let confirm = true;
beforeEach(() => {
  confirm = true;
  vi.spyOn(wx, 'showModal').mockImplementation(((opts: WechatMiniprogram.ShowModalOption) => {
    opts.success?.({ confirm, cancel: !confirm, content: '', errMsg: 'showModal:ok' } as never);
  }) as never);
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function open() {
  const fake = fakeWx(api);
  fake.storage.set('session.token', 'token-1');
  fake.storage.set('session.refreshToken', 'refresh-1');
  const page = renderPage('pages/user/delete-account/delete-account');
  await settle(1);
  return { fake, page };
}

const tap = async (page: ReturnType<typeof renderPage>, selector: string) => {
  page.querySelector(selector)!.dispatchEvent('tap');
  await settle();
};

describe('注销账号', () => {
  it('when the page opens, then it says what is erased and what is kept', async () => {
    const { page } = await open();
    expect(page.querySelector('.erased')?.dom.textContent).toContain('手机号');
    expect(page.querySelector('.erased')?.dom.textContent).toContain('地址簿');
    expect(page.querySelector('.kept')?.dom.textContent).toContain('订单、支付与退款记录');
  });

  it('when the user has not ticked the acknowledgement or cancels the confirmation, then nothing is sent', async () => {
    const { fake, page } = await open();
    await tap(page, '.delete');
    expect(page.dom.textContent).toContain('请先勾选');
    await tap(page, '.agree');
    confirm = false;
    await tap(page, '.delete');
    expect(fake.requests).toHaveLength(0);
  });

  it('when an order is still open, then the 409 ACCOUNT_BUSY message and what to do show, and the user stays signed in', async () => {
    answer = fail(409, 'ACCOUNT_BUSY', '你还有进行中的订单');
    const { fake, page } = await open();
    await tap(page, '.agree');
    await tap(page, '.delete');
    expect(fake.requests[0]).toMatchObject({ method: 'POST', url: 'http://api.test/api/users/me/delete-account', data: {} });
    expect(page.querySelector('.blocked')?.dom.textContent).toContain('你还有进行中的订单');
    expect(page.querySelector('.blocked')?.dom.textContent).toContain('请先完成或取消进行中的订单');
    expect(fake.storage.get('session.token')).toBe('token-1');
    expect(fake.reLaunch).not.toHaveBeenCalled();
  });

  it('when deletion succeeds, then the reason is sent, the local session is gone and the app restarts signed out', async () => {
    answer = ok({});
    const { fake, page } = await open();
    page.querySelector('.reason-input')!.dispatchEvent('input', { detail: { value: '不再需要' } });
    await tap(page, '.agree');
    await tap(page, '.delete');
    expect(fake.requests[0]).toMatchObject({ data: { reason: '不再需要' }, header: { Authorization: 'Bearer token-1' } });
    expect(fake.storage.has('session.token')).toBe(false);
    expect(fake.storage.has('session.refreshToken')).toBe(false);
    expect(fake.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
  });
});
