// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_BASE, fakeWx, ok } from '../../test/setup';
import { cancelOrder, feesFor, grabOrder, hall, listOrders, newIdempotencyKey, orderEvents } from '../orders';
import { logout } from '../auth';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('orders service', () => {
  it('when listing, then only the given filters are sent and the pagination comes back', async () => {
    const fake = fakeWx(() => ({ status: 200, body: { success: true, data: [], pagination: { page: 2, limit: 5, total: 0 } } }));
    const page = await listOrders({ status: 'pending', as: 'customer', page: 2, limit: 5 });
    await hall({ latitude: 22.5, longitude: 113.9, radiusKm: 5 });
    expect(page.pagination).toEqual({ page: 2, limit: 5, total: 0 });
    expect(fake.requests.map((r) => r.url)).toEqual([
      `${API_BASE}/api/orders?status=pending&as=customer&page=2&limit=5`,
      `${API_BASE}/api/orders/hall?latitude=22.5&longitude=113.9&radiusKm=5`,
    ]);
  });

  it('when grabbing, cancelling or reading events, then the documented paths and bodies are used', async () => {
    const fake = fakeWx(() => ok({}));
    await grabOrder(3);
    await cancelOrder(3, '不需要了');
    await orderEvents(3);
    expect(fake.requests.map((r) => [r.method, r.url.replace(API_BASE, ''), r.data])).toEqual([
      ['POST', '/api/orders/3/grab', {}],
      ['POST', '/api/orders/3/cancel', { reason: '不需要了' }],
      ['GET', '/api/orders/3/events', undefined],
    ]);
  });

  it('when urgent, then the surcharge is added to both the visit fee and the estimate', () => {
    const item = {
      faultType: 'circuit' as const,
      name: '电路故障',
      visitFee: 3000,
      estimatedAmount: 15000,
      urgentSurcharge: 2000,
    };
    expect(feesFor(item, false)).toEqual({ visitFee: 3000, estimatedAmount: 15000 });
    expect(feesFor(item, true)).toEqual({ visitFee: 5000, estimatedAmount: 17000 });
  });

  it('when making idempotency keys, then each matches the API rule and they differ', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[A-Za-z0-9_.:-]{8,100}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});

describe('auth service', () => {
  it('when logging out, then the refresh token is revoked on the server and the session is cleared', async () => {
    const fake = fakeWx(() => ok({}));
    fake.storage.set('session.token', 'token-1');
    fake.storage.set('session.refreshToken', 'refresh-1');
    await logout();
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      url: `${API_BASE}/api/auth/logout`,
      data: { refreshToken: 'refresh-1' },
    });
    expect(fake.storage.size).toBe(0);
  });
});
