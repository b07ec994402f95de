// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_BASE, NETWORK_FAILURE, fail, fakeWx, ok, type FakeRequest } from '../../test/setup';
import { ApiError, request, requestPage } from '../request';
import { session } from '../../stores/session';

afterEach(() => {
  vi.restoreAllMocks();
});

function signedIn(fake: ReturnType<typeof fakeWx>, token = 'token-1', refreshToken = 'refresh-1') {
  fake.storage.set('session.token', token);
  fake.storage.set('session.refreshToken', refreshToken);
}

describe('request', () => {
  it('when the API answers success, then the envelope is unwrapped and the token and JSON are sent', async () => {
    const fake = fakeWx(() => ok({ id: 7 }));
    signedIn(fake);
    const data = await request<{ id: number }>({ url: '/api/orders/7' });
    expect(data).toEqual({ id: 7 });
    expect(fake.requests[0]).toMatchObject({
      url: `${API_BASE}/api/orders/7`,
      method: 'GET',
      header: { Authorization: 'Bearer token-1', 'Content-Type': 'application/json' },
    });
  });

  it('when a list is requested, then data and pagination are returned', async () => {
    fakeWx(() => ({ status: 200, body: { success: true, data: [{ id: 1 }], pagination: { page: 2, limit: 1, total: 5 } } }));
    const page = await requestPage<{ id: number }>({ url: '/api/orders?page=2&limit=1' });
    expect(page).toEqual({ data: [{ id: 1 }], pagination: { page: 2, limit: 1, total: 5 } });
  });

  it('when the API answers an error, then an ApiError rejects and its message is toasted', async () => {
    const fake = fakeWx(() => fail(409, 'ORDER_TAKEN', '订单已被抢'));
    const error = await request({ url: '/api/orders/1/grab', method: 'POST' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'ORDER_TAKEN', message: '订单已被抢', status: 409 });
    expect(fake.showToast).toHaveBeenCalledWith({ title: '订单已被抢', icon: 'none' });
  });

  it('when the caller opts out, then no toast is shown', async () => {
    const fake = fakeWx(() => fail(400, 'VALIDATION_FAILED', '参数错误'));
    await expect(request({ url: '/api/x', silent: true })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fake.showToast).not.toHaveBeenCalled();
  });

  it('when the network fails, then the error is NETWORK with a Chinese message', async () => {
    const fake = fakeWx(() => NETWORK_FAILURE);
    await expect(request({ url: '/api/x' })).rejects.toMatchObject({
      code: 'NETWORK',
      message: '网络异常，请稍后重试',
      status: 0,
    });
    expect(fake.showToast).toHaveBeenCalledWith({ title: '网络异常，请稍后重试', icon: 'none' });
  });

  it('when three concurrent requests get 401, then exactly one refresh happens and all three are retried', async () => {
    let refreshes = 0;
    const fake = fakeWx(async (req: FakeRequest) => {
      if (req.url.endsWith('/api/auth/refresh')) {
        refreshes += 1;
        expect(req.data).toEqual({ refreshToken: 'refresh-1' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return ok({ token: 'token-2', refreshToken: 'refresh-2', expiresIn: 900 });
      }
      if (req.header.Authorization !== 'Bearer token-2') return fail(401, 'UNAUTHORIZED', '请先登录');
      return ok({ url: req.url });
    });
    signedIn(fake);
    const results = await Promise.all([
      request<{ url: string }>({ url: '/api/a' }),
      request<{ url: string }>({ url: '/api/b' }),
      request<{ url: string }>({ url: '/api/c' }),
    ]);
    expect(refreshes).toBe(1);
    expect(results.map((r) => r.url)).toEqual([`${API_BASE}/api/a`, `${API_BASE}/api/b`, `${API_BASE}/api/c`]);
    expect(session.getToken()).toBe('token-2');
    expect(session.getRefreshToken()).toBe('refresh-2');
    expect(fake.requests.filter((r) => !r.url.endsWith('/refresh'))).toHaveLength(6);
    expect(fake.showToast).not.toHaveBeenCalled();
  });

  it('when a 401 arrives after another request already refreshed, then it retries with the new token without refreshing', async () => {
    let refreshes = 0;
    let slowFirst = true;
    const fake = fakeWx(async (req: FakeRequest) => {
      if (req.url.endsWith('/api/auth/refresh')) {
        refreshes += 1;
        return ok({ token: 'token-2', refreshToken: 'refresh-2', expiresIn: 900 });
      }
      if (req.header.Authorization === 'Bearer token-2') return ok({});
      if (req.url.endsWith('/slow') && slowFirst) {
        slowFirst = false;
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      return fail(401, 'UNAUTHORIZED', '请先登录');
    });
    signedIn(fake);
    await Promise.all([request({ url: '/api/slow' }), request({ url: '/api/fast' })]);
    expect(refreshes).toBe(1);
  });

  it('when the refresh fails, then the session is cleared and the login page is opened', async () => {
    const fake = fakeWx((req: FakeRequest) =>
      req.url.endsWith('/api/auth/refresh') ? fail(401, 'UNAUTHORIZED', '登录已失效') : fail(401, 'UNAUTHORIZED', '请先登录'),
    );
    signedIn(fake);
    fake.storage.set('session.user', { id: 1 });
    const errors = await Promise.all(
      [request({ url: '/api/a' }), request({ url: '/api/b' })].map((p) => p.catch((e: unknown) => e)),
    );
    expect(errors).toEqual([
      expect.objectContaining({ code: 'UNAUTHORIZED', status: 401 }),
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    ]);
    expect(fake.requests.filter((r) => r.url.endsWith('/api/auth/refresh'))).toHaveLength(1);
    expect(fake.storage.size).toBe(0);
    expect(fake.reLaunch).toHaveBeenCalledTimes(1);
    expect(fake.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/login' });
  });

  it('when the user signs out while a request is in flight, then its 401 neither refreshes nor opens the login page, and says nothing', async () => {
    let signOut = () => undefined as void;
    const fake = fakeWx(() => {
      signOut(); // 退出登录 tapped while this request was on its way
      return fail(401, 'UNAUTHORIZED', '登录已失效');
    });
    signedIn(fake);
    signOut = () => session.clear();
    await expect(request({ url: '/api/electricians/me/earnings' })).rejects.toMatchObject({ code: 'SIGNED_OUT', status: 401 });
    expect(fake.requests.filter((r) => r.url.endsWith('/api/auth/refresh'))).toHaveLength(0);
    expect(fake.reLaunch).not.toHaveBeenCalled();
    expect(fake.showToast).not.toHaveBeenCalled();
  });

  it('when the refresh is rate limited, then the session is kept and the server error is reported', async () => {
    const fake = fakeWx((req: FakeRequest) =>
      req.url.endsWith('/api/auth/refresh') ? fail(429, 'RATE_LIMITED', '操作太频繁') : fail(401, 'UNAUTHORIZED', '请先登录'),
    );
    signedIn(fake);
    await expect(request({ url: '/api/a' })).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(fake.storage.get('session.token')).toBe('token-1');
    expect(fake.reLaunch).not.toHaveBeenCalled();
  });

  it('when the refresh itself hits a network failure, then the session is kept and the error is NETWORK', async () => {
    const fake = fakeWx((req: FakeRequest) =>
      req.url.endsWith('/api/auth/refresh') ? NETWORK_FAILURE : fail(401, 'UNAUTHORIZED', '请先登录'),
    );
    signedIn(fake);
    await expect(request({ url: '/api/a' })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(fake.storage.get('session.refreshToken')).toBe('refresh-1');
    expect(fake.reLaunch).not.toHaveBeenCalled();
  });

  it('when not logged in and the API answers 401, then no refresh is attempted and the login page opens', async () => {
    const fake = fakeWx(() => fail(401, 'UNAUTHORIZED', '请先登录'));
    await expect(request({ url: '/api/orders' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/login' });
  });
});
