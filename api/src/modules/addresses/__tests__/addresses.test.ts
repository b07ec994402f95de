import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, login, type Session, type TestApp } from '../../../../test/harness';
import { orderBody } from '../../orders/__tests__/order-helpers';
import { MAX_ADDRESSES } from '../addresses.schemas';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

let serial = 0;
function addressBody(overrides: Record<string, unknown> = {}) {
  serial += 1;
  return {
    contactName: '张丽',
    contactPhone: '13812345678',
    region: '浙江省杭州市西湖区',
    address: `文三路 90 号 ${serial} 幢 502`,
    latitude: 30.2612,
    longitude: 120.1335,
    ...overrides,
  };
}

async function add(s: Session, overrides: Record<string, unknown> = {}) {
  const res = await t.http.post('/api/addresses').set(s.auth).send(addressBody(overrides));
  if (res.status !== 201) throw new Error(`add failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: number; isDefault: boolean; address: string };
}

async function list(s: Session) {
  const res = await t.http.get('/api/addresses').set(s.auth);
  expect(res.status).toBe(200);
  return res.body.data as { id: number; isDefault: boolean; address: string; tag: string | null }[];
}

/** The user's default entries as the database holds them. */
async function defaultsOf(userId: number): Promise<number[]> {
  return (await t.db('addresses').where({ user_id: userId }).whereNotNull('default_user_id')).map((r) => Number(r.id));
}

describe('address book', () => {
  it('when a user saves addresses, then the first is the default and the list shows the default first', async () => {
    const s = await login(t, 'addr-first');
    const first = await add(s, { tag: '家' });
    const second = await add(s);

    expect(first.isDefault).toBe(true);
    expect(second.isDefault).toBe(false);
    const items = await list(s);
    expect(items.map((a) => a.id)).toEqual([first.id, second.id]);
    expect(items[0]).toMatchObject({ tag: '家', contactPhone: '13812345678', latitude: 30.2612, longitude: 120.1335 });
    expect(await defaultsOf(s.userId)).toEqual([first.id]);
  });

  it('when a new address is saved as default, then the old default is cleared and it is listed first', async () => {
    const s = await login(t, 'addr-new-default');
    const first = await add(s);
    const second = await add(s, { isDefault: true });

    expect(second.isDefault).toBe(true);
    expect(await defaultsOf(s.userId)).toEqual([second.id]);
    expect((await list(s)).map((a) => [a.id, a.isDefault])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
  });

  it('when an address is patched (or put) to be the default, then it is the only one; unsetting the default hands it to the latest other', async () => {
    const s = await login(t, 'addr-patch');
    const a = await add(s);
    const b = await add(s);
    const c = await add(s);

    const patched = await t.http.patch(`/api/addresses/${b.id}`).set(s.auth).send({ isDefault: true, tag: '公司' });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ id: b.id, isDefault: true, tag: '公司' });
    expect(await defaultsOf(s.userId)).toEqual([b.id]);

    const put = await t.http.put(`/api/addresses/${b.id}`).set(s.auth).send({ isDefault: false });
    expect(put.status).toBe(200);
    expect(put.body.data.isDefault).toBe(false);
    // c was saved after a, and b's own update does not count: b gave the default away.
    expect(await defaultsOf(s.userId)).toEqual([c.id]);

    const edited = await t.http.patch(`/api/addresses/${a.id}`).set(s.auth).send({ address: '西湖区北山街 8 号', tag: null });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ address: '西湖区北山街 8 号', tag: null, isDefault: false });
  });

  it('when the only address is unset as default, then it stays the default', async () => {
    const s = await login(t, 'addr-only');
    const a = await add(s);

    const res = await t.http.patch(`/api/addresses/${a.id}`).set(s.auth).send({ isDefault: false });

    expect(res.status).toBe(200);
    expect(res.body.data.isDefault).toBe(true);
  });

  it('when the default is deleted, then the most recently saved other becomes the default; the last one leaves none', async () => {
    const s = await login(t, 'addr-delete');
    const a = await add(s);
    const b = await add(s);
    const c = await add(s);
    t.clock.advance(1_000);
    await t.http.patch(`/api/addresses/${b.id}`).set(s.auth).send({ contactName: '王五' });

    const res = await t.http.delete(`/api/addresses/${a.id}`).set(s.auth);

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({});
    expect(await defaultsOf(s.userId)).toEqual([b.id]);
    await t.http.delete(`/api/addresses/${c.id}`).set(s.auth).expect(200);
    expect(await defaultsOf(s.userId)).toEqual([b.id]);
    await t.http.delete(`/api/addresses/${b.id}`).set(s.auth).expect(200);
    expect(await list(s)).toEqual([]);
  });

  it("when someone else's address is read, patched, put or deleted, then 404 and nothing changes", async () => {
    const owner = await login(t, 'addr-owner');
    const other = await login(t, 'addr-other');
    const mine = await add(owner);
    const before = await t.db('addresses').where({ id: mine.id }).first();

    expect(await list(other)).toEqual([]);
    for (const res of [
      await t.http.patch(`/api/addresses/${mine.id}`).set(other.auth).send({ isDefault: true, tag: '偷' }),
      await t.http.put(`/api/addresses/${mine.id}`).set(other.auth).send({ contactName: '李四' }),
      await t.http.delete(`/api/addresses/${mine.id}`).set(other.auth),
      await t.http.delete('/api/addresses/999999').set(owner.auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect(await t.db('addresses').where({ id: mine.id }).first()).toEqual(before);
    expect(await count(t.db, 'addresses', { user_id: other.userId })).toBe(0);
  });

  it('when the body is invalid, then 400 names each field, as for orders, and nothing is saved', async () => {
    const s = await login(t, 'addr-invalid');
    const a = await add(s);

    const bad = await t.http
      .post('/api/addresses')
      .set(s.auth)
      .send(addressBody({ contactPhone: '12345678901', latitude: 91, longitude: 'east', address: 'x', extra: 1 }));
    const missing = await t.http.post('/api/addresses').set(s.auth).send({ contactName: '张' });
    const emptyPatch = await t.http.patch(`/api/addresses/${a.id}`).set(s.auth).send({});
    const badPatch = await t.http.patch(`/api/addresses/${a.id}`).set(s.auth).send({ contactPhone: '110' });

    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(
      expect.arrayContaining(['body.contactPhone', 'body.latitude', 'body.longitude', 'body.address']),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(
      expect.arrayContaining(['body.contactPhone', 'body.region', 'body.address', 'body.latitude', 'body.longitude']),
    );
    expect(emptyPatch.status).toBe(400);
    expect(badPatch.status).toBe(400);
    expect(await count(t.db, 'addresses', { user_id: s.userId })).toBe(1);
    expect((await t.db('addresses').where({ id: a.id }).first()).contact_phone).toBe('13812345678');
  });

  it(`when a user has ${MAX_ADDRESSES} addresses, then another is refused 409 ADDRESS_LIMIT and nothing is saved`, async () => {
    const s = await login(t, 'addr-cap');
    for (let i = 0; i < MAX_ADDRESSES; i++) await add(s);

    const res = await t.http
      .post('/api/addresses')
      .set(s.auth)
      .send(addressBody({ isDefault: true }));

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ADDRESS_LIMIT');
    expect(await count(t.db, 'addresses', { user_id: s.userId })).toBe(MAX_ADDRESSES);
    expect(await defaultsOf(s.userId)).toHaveLength(1);
  });

  it('when the database is asked for a second default directly, then the unique key refuses it', async () => {
    const s = await login(t, 'addr-unique');
    const a = await add(s);
    const b = await add(s);
    expect(a.isDefault).toBe(true);

    await expect(t.db('addresses').where({ id: b.id }).update({ default_user_id: s.userId })).rejects.toThrow();
    expect(await defaultsOf(s.userId)).toEqual([a.id]);
  });

  it('when many addresses are saved, made default and deleted at once, then the user always ends with exactly one default', async () => {
    const s = await login(t, 'addr-race');
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.http
          .post('/api/addresses')
          .set(s.auth)
          .send(addressBody({ isDefault: i % 2 === 0 })),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(await defaultsOf(s.userId)).toHaveLength(1);

    const ids = created.map((r) => r.body.data.id as number);
    const mixed = await Promise.all([
      ...ids.slice(0, 4).map((id) => t.http.patch(`/api/addresses/${id}`).set(s.auth).send({ isDefault: true })),
      ...ids.slice(4, 7).map((id) => t.http.delete(`/api/addresses/${id}`).set(s.auth)),
      t.http.delete(`/api/addresses/${(await defaultsOf(s.userId))[0]}`).set(s.auth),
    ]);
    for (const r of mixed) expect([200, 404]).toContain(r.status);
    const left = await count(t.db, 'addresses', { user_id: s.userId });
    expect(left).toBeGreaterThan(0);
    expect(await defaultsOf(s.userId)).toHaveLength(1);
  });

  it('when two first addresses are saved at once, then exactly one of them is the default', async () => {
    const s = await login(t, 'addr-race-first');
    const res = await Promise.all([1, 2, 3].map(() => t.http.post('/api/addresses').set(s.auth).send(addressBody())));

    expect(res.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(res.filter((r) => r.body.data.isDefault)).toHaveLength(1);
    expect(await defaultsOf(s.userId)).toHaveLength(1);
  });
});

describe('ordering to an address-book entry', () => {
  const orderFields = { description: '客厅插座冒火花，总闸跳了两次', urgentType: 'normal', faultType: 'circuit' };

  it('when an order is placed with addressId, then it copies the contact, place and coordinates of that entry', async () => {
    const s = await login(t, 'addr-order');
    const a = await add(s, {
      contactName: '黄蓉',
      contactPhone: '13911110002',
      region: '浙江省杭州市西湖区',
      address: '北山街 8 号',
      latitude: 30.2655,
      longitude: 120.1488,
    });

    const res = await t.http
      .post('/api/orders')
      .set(s.auth)
      .send({ addressId: a.id, ...orderFields });

    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      contactName: '黄蓉',
      contactPhone: '13911110002',
      region: '浙江省杭州市西湖区',
      address: '北山街 8 号',
      latitude: 30.2655,
      longitude: 120.1488,
      status: 'pending',
    });
    // The order keeps its own copy: editing the entry afterwards changes no order.
    await t.http.patch(`/api/addresses/${a.id}`).set(s.auth).send({ address: '北山街 10 号' }).expect(200);
    expect((await t.db('orders').where({ id: res.body.data.id }).first()).address).toBe('北山街 8 号');
  });

  it("when an order names someone else's or an unknown addressId, then 400 INVALID_ADDRESS and nothing is written", async () => {
    const owner = await login(t, 'addr-order-owner');
    const thief = await login(t, 'addr-order-thief');
    const a = await add(owner);
    const orders = await count(t.db, 'orders');
    const events = await count(t.db, 'order_events');

    for (const addressId of [a.id, 999_999]) {
      const res = await t.http
        .post('/api/orders')
        .set(thief.auth)
        .send({ addressId, ...orderFields });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_ADDRESS');
      expect(JSON.stringify(res.body)).not.toContain(a.address);
    }
    const keyed = await t.http
      .post('/api/orders')
      .set(thief.auth)
      .set('Idempotency-Key', 'addr-order-thief-1')
      .send({ addressId: a.id, ...orderFields });
    expect(keyed.status).toBe(400);
    expect(await count(t.db, 'orders')).toBe(orders);
    expect(await count(t.db, 'order_events')).toBe(events);
    expect(await count(t.db, 'idempotency_keys', { user_id: thief.userId })).toBe(0);
  });

  it('when an order gives addressId and contact fields together, or neither, then 400 VALIDATION_FAILED naming them', async () => {
    const s = await login(t, 'addr-order-both');
    const a = await add(s);

    const both = await t.http
      .post('/api/orders')
      .set(s.auth)
      .send({ ...orderBody(), addressId: a.id });
    const neither = await t.http.post('/api/orders').set(s.auth).send(orderFields);

    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('VALIDATION_FAILED');
    expect(both.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toContain('body.contactName');
    expect(neither.status).toBe(400);
    expect(neither.body.error.details.map((d: { path: string[] }) => d.path.join('.'))).toEqual(
      expect.arrayContaining(['body.contactName', 'body.address', 'body.latitude']),
    );
    expect(await count(t.db, 'orders', { user_id: s.userId })).toBe(0);
  });
});
