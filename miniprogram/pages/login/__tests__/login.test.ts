// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeWx, ok, renderPage, settle, type FakeRequest } from '../../../test/setup';

const USER = {
  id: 1,
  nickname: null,
  avatarUrl: null,
  gender: 'unknown',
  name: null,
  phone: null,
  hasPhone: false,
  userType: 'user',
  staffRole: null,
  status: 'active',
  address: null,
  city: null,
  province: null,
  lastLoginAt: null,
  createdAt: '2026-11-22T00:00:00.000Z',
};

function api(req: FakeRequest) {
  if (req.url.endsWith('/api/auth/wechat-login')) {
    return ok({ token: 'token-1', refreshToken: 'refresh-1', expiresIn: 900, userType: 'user', isNewUser: true, user: USER });
  }
  if (req.url.endsWith('/api/auth/bind-phone')) return ok({ phone: '138****8000' });
  return ok({});
}

beforeEach(() => {
  vi.spyOn(wx, 'login').mockImplementation(((opts: WechatMiniprogram.LoginOption) => {
    opts.success?.({ code: 'dev-alice', errMsg: 'login:ok' });
  }) as never);
  (globalThis as unknown as { getCurrentPages: () => unknown[] }).getCurrentPages = () => [{}, {}];
  vi.spyOn(wx, 'navigateBack').mockImplementation((() => undefined) as never);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('登录页', () => {
  it('when WeChat login succeeds for a user without a phone, then the session is stored and phone binding is offered', async () => {
    const fake = fakeWx(api);
    const page = renderPage('pages/login/login');
    page.instance.onLoad({});
    await settle(1);
    page.querySelector('.consent')!.dispatchEvent('tap');
    await settle(1);
    await page.instance.onWechatLogin();
    await settle(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', data: { code: 'dev-alice' } });
    expect(fake.requests[0].header.Authorization).toBeUndefined();
    expect(fake.storage.get('session.token')).toBe('token-1');
    expect(fake.storage.get('session.refreshToken')).toBe('refresh-1');
    expect(page.querySelector('.phone-button')).not.toBeNull();

    await page.instance.onGetPhoneNumber({ detail: { code: 'dev-phone-13800138000', errMsg: 'getPhoneNumber:ok' } });
    expect(fake.requests[1]).toMatchObject({ data: { code: 'dev-phone-13800138000' } });
    expect(fake.requests[1].header.Authorization).toBe('Bearer token-1');
    expect((fake.storage.get('session.user') as typeof USER).hasPhone).toBe(true);
    expect(wx.navigateBack).toHaveBeenCalled();
  });

  it('when the user declines the WeChat phone, then the SMS fallback sends a code with a 60 s countdown and binds', async () => {
    const fake = fakeWx(api);
    const page = renderPage('pages/login/login');
    const state = () => page.instance.data as { error: string; countdown: number };
    page.instance.onLoad({});
    await settle(1);
    page.querySelector('.consent')!.dispatchEvent('tap');
    await settle(1);
    await page.instance.onWechatLogin();
    await page.instance.onGetPhoneNumber({ detail: { errMsg: 'getPhoneNumber:fail user deny' } });
    await settle(1);
    expect(page.querySelector('.sms')).not.toBeNull();

    page.instance.onPhoneInput({ detail: { value: '1380013800' } });
    await page.instance.onSendCode();
    expect(state().error).toBe('请输入正确的手机号');

    vi.useFakeTimers();
    page.instance.onPhoneInput({ detail: { value: '13800138000' } });
    await page.instance.onSendCode();
    expect(fake.requests.at(-1)).toMatchObject({
      url: 'http://api.test/api/auth/sms-code',
      data: { phoneNumber: '13800138000' },
    });
    expect(state().countdown).toBe(60);
    await page.instance.onSendCode();
    expect(fake.requests.filter((r) => r.url.endsWith('/sms-code'))).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(state().countdown).toBe(59);
    vi.advanceTimersByTime(59_000);
    expect(state().countdown).toBe(0);
    vi.useRealTimers();

    page.instance.onCodeInput({ detail: { value: '123456' } });
    await page.instance.onBindSms();
    expect(fake.requests.at(-1)).toMatchObject({ data: { phoneNumber: '13800138000', verifyCode: '123456' } });
    expect(wx.navigateBack).toHaveBeenCalled();
  });
});
