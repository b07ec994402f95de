/**
 * The write-ahead staff audit log: a staff action's row is committed as `pending` before its
 * handler runs and finished with how it ended, so no action can be done without a row and a row
 * left pending says "attempted, outcome unknown".
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../db';
import { count, createTestApp, login, loginAsAdmin, snapshot, type Session, type TestApp } from '../../../../test/harness';
import { completedOrder } from '../../payments/__tests__/payment-helpers';
import { loginAsStaff, STAFF_PASSWORD } from './staff-helpers';

let t: TestApp;
let admin: Session;

beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAsAdmin(t);
});
afterAll(() => t.close());

const lastAuditId = async (db: Db = t.db) => Number((await db('audit_logs').max({ id: 'id' }).first())?.id ?? 0);
const auditRowsAfter = (id: number, db: Db = t.db) => db('audit_logs').where('id', '>', id).orderBy('id');

/** A completed order paid in dev pay mode (the refund tests need a payment to refund). */
async function paidOrder(name: string) {
  const o = await completedOrder(t, name);
  const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
  expect(created.status).toBe(200);
  const paid = await t.http.post(`/api/dev/payments/${created.body.data.paymentNo}/succeed`).set(o.customer.auth);
  expect(paid.status).toBe(200);
  return o;
}

describe('a staff action is audited ahead of its handler, then finished', () => {
  it('when a staff action succeeds, then exactly one row records it as succeeded with the status, and the log filters by outcome', async () => {
    const customer = await login(t, 'audit-ok-target');
    const before = await lastAuditId();

    const res = await t.http
      .post(`/api/admin/users/${customer.userId}/status`)
      .set(admin.auth)
      .send({ status: 'banned', reason: '恶意下单' });

    expect(res.status).toBe(200);
    const rows = await auditRowsAfter(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: admin.userId,
      action: 'users.manage',
      route: '/api/admin/users/:id/status',
      target_id: String(customer.userId),
      outcome: 'succeeded',
      status_code: 200,
      error_code: null,
    });
    expect(rows[0].finished_at).not.toBeNull();

    const listed = await t.http.get('/api/admin/audit-logs').query({ outcome: 'succeeded', limit: 100 }).set(admin.auth);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((r: { outcome: string }) => r.outcome).every((o: string) => o === 'succeeded')).toBe(true);
    expect(listed.body.data.find((r: { id: number }) => r.id === rows[0].id)).toMatchObject({
      outcome: 'succeeded',
      statusCode: 200,
      errorCode: null,
      finishedAt: expect.any(String),
    });
    const failedOnly = await t.http.get('/api/admin/audit-logs').query({ outcome: 'failed', limit: 100 }).set(admin.auth);
    expect(failedOnly.body.data.find((r: { id: number }) => r.id === rows[0].id)).toBeUndefined();
    expect((await t.http.get('/api/admin/audit-logs').query({ outcome: 'maybe' }).set(admin.auth)).status).toBe(400);
  });

  it('when a refund exceeds the paid amount, then one failed row records 400 REFUND_EXCEEDS_PAID and nothing else changed', async () => {
    const o = await paidOrder('audit-over-refund');
    const untouched = await snapshot(t.db, ['audit_logs']);
    const before = await lastAuditId();

    const res = await t.http
      .post(`/api/admin/orders/${o.orderId}/refund`)
      .set(admin.auth)
      .send({ amount: o.amount + 1, reason: '退款金额超过实付' });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('REFUND_EXCEEDS_PAID');
    const rows = await auditRowsAfter(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'refunds.create',
      target_type: 'orders',
      target_id: String(o.orderId),
      outcome: 'failed',
      status_code: 400,
      error_code: 'REFUND_EXCEEDS_PAID',
    });
    expect(rows[0].finished_at).not.toBeNull();
    expect(await snapshot(t.db, ['audit_logs'])).toEqual(untouched);
  });

  it('when the target does not exist, then one failed row records 404 NOT_FOUND and nothing else changed', async () => {
    const untouched = await snapshot(t.db, ['audit_logs']);
    const before = await lastAuditId();

    const res = await t.http.post('/api/admin/orders/999999/cancel').set(admin.auth).send({ reason: '测试取消' });

    expect(res.status).toBe(404);
    const rows = await auditRowsAfter(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'orders.cancel',
      target_id: '999999',
      outcome: 'failed',
      status_code: 404,
      error_code: 'NOT_FOUND',
    });
    expect(await snapshot(t.db, ['audit_logs'])).toEqual(untouched);
  });

  it('when validation refuses a staff request, then one failed VALIDATION_FAILED row keeps the attempt without secrets; refused callers leave no row', async () => {
    const customer = await login(t, 'audit-invalid-target');
    const untouched = await snapshot(t.db, ['audit_logs']);
    const before = await lastAuditId();

    const res = await t.http
      .post(`/api/admin/users/${customer.userId}/status`)
      .set(admin.auth)
      .send({ status: 'deleted', reason: 'x', password: 'hunter2-secret' });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const rows = await auditRowsAfter(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: admin.userId,
      action: 'users.manage',
      target_id: String(customer.userId),
      outcome: 'failed',
      status_code: 400,
      error_code: 'VALIDATION_FAILED',
    });
    expect(rows[0].finished_at).not.toBeNull();
    const details = JSON.stringify(rows[0].details);
    expect(details).toContain('deleted');
    expect(details).not.toContain('hunter2-secret');
    expect(await snapshot(t.db, ['audit_logs'])).toEqual(untouched);

    // Not staff of that permission: refused by the guard, not recorded.
    const agent = await loginAsStaff(t, 'agent');
    const afterAgent = await lastAuditId();
    const bodies = { status: 'banned', reason: '越权封禁' };
    expect((await t.http.post(`/api/admin/users/${customer.userId}/status`).set(agent.auth).send(bodies)).status).toBe(403);
    expect((await t.http.post(`/api/admin/users/${customer.userId}/status`).set(customer.auth).send(bodies)).status).toBe(403);
    expect((await t.http.post(`/api/admin/users/${customer.userId}/status`).send(bodies)).status).toBe(401);
    expect(await auditRowsAfter(afterAgent)).toEqual([]);
  });

  it('when a refund is under way, then its row is already committed as pending; once answered it is succeeded', async () => {
    const o = await paidOrder('audit-pending');
    const before = await lastAuditId();
    // The refund handler calls WeChat Pay after recording the refund: look at the log from there.
    const seen: { audit: Record<string, unknown>[]; refunds: number }[] = [];
    const send = t.c.wxpay.refund.bind(t.c.wxpay);
    const spy = vi.spyOn(t.c.wxpay, 'refund').mockImplementation(async (r) => {
      seen.push({ audit: await auditRowsAfter(before), refunds: await count(t.db, 'refunds', { order_id: o.orderId }) });
      return send(r);
    });

    try {
      const res = await t.http
        .post(`/api/admin/orders/${o.orderId}/refund`)
        .set(admin.auth)
        .send({ amount: 1000, reason: '部分退款' });
      expect(res.status).toBe(200);
    } finally {
      spy.mockRestore();
    }

    expect(seen).toHaveLength(1);
    expect(seen[0]!.refunds).toBe(1);
    expect(seen[0]!.audit).toHaveLength(1);
    expect(seen[0]!.audit[0]).toMatchObject({
      action: 'refunds.create',
      target_id: String(o.orderId),
      outcome: 'pending',
      status_code: null,
      error_code: null,
      finished_at: null,
    });
    const rows = await auditRowsAfter(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: seen[0]!.audit[0]!.id, outcome: 'succeeded', status_code: 200 });
  });

  it('when the outcome cannot be written, then the action keeps its answer and the row stays pending, listed as such', async () => {
    const o = await paidOrder('audit-unfinished');
    const before = await lastAuditId();
    // The table goes away while the handler runs: the pending row is there, the outcome cannot be written.
    const send = t.c.wxpay.refund.bind(t.c.wxpay);
    const spy = vi.spyOn(t.c.wxpay, 'refund').mockImplementation(async (r) => {
      await t.db.schema.renameTable('audit_logs', 'audit_logs_away');
      return send(r);
    });

    let res;
    try {
      res = await t.http.post(`/api/admin/orders/${o.orderId}/refund`).set(admin.auth).send({ amount: 500, reason: '部分退款' });
    } finally {
      spy.mockRestore();
      if (await t.db.schema.hasTable('audit_logs_away')) await t.db.schema.renameTable('audit_logs_away', 'audit_logs');
    }

    expect(res.status).toBe(200);
    expect(await count(t.db, 'refunds', { order_id: o.orderId })).toBe(1);
    const rows = await auditRowsAfter(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'refunds.create', outcome: 'pending', status_code: null, finished_at: null });
    const pending = await t.http.get('/api/admin/audit-logs').query({ outcome: 'pending' }).set(admin.auth);
    expect(pending.body.data.map((r: { id: number }) => r.id)).toContain(rows[0].id);
    expect(pending.body.data.every((r: { outcome: string }) => r.outcome === 'pending')).toBe(true);
  });

  it('when staff sign in or fail to, then the rows carry their outcome, status and code', async () => {
    const s = await loginAsStaff(t, 'finance');
    const before = await lastAuditId();
    expect((await t.http.post('/api/admin/auth/login').send({ username: s.username, password: 'wrong-password' })).status).toBe(
      401,
    );
    expect((await t.http.post('/api/admin/auth/login').send({ username: s.username, password: STAFF_PASSWORD })).status).toBe(
      200,
    );
    const rows = await auditRowsAfter(before);
    expect(rows).toMatchObject([
      { action: 'staff.login', outcome: 'failed', status_code: 401, error_code: 'INVALID_CREDENTIALS' },
      { action: 'staff.login', outcome: 'succeeded', status_code: 200, error_code: null },
    ]);
  });
});

describe('no audit row, no action', () => {
  it('when the pending row cannot be written, then the action is refused with the error answer and nothing happens; once the log works again it goes through', async () => {
    // A throwaway app: its audit table is taken away.
    const x = await createTestApp();
    try {
      const xAdmin = await loginAsAdmin(x);
      const customer = await login(x, 'audit-down-target');
      await x.db.schema.renameTable('audit_logs', 'audit_logs_away');
      const untouched = await snapshot(x.db);

      const res = await x.http
        .post(`/api/admin/users/${customer.userId}/status`)
        .set(xAdmin.auth)
        .send({ status: 'banned', reason: '恶意下单' });

      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('INTERNAL');
      expect(await snapshot(x.db)).toEqual(untouched);
      expect((await x.db('users').where({ id: customer.userId }).first()).status).toBe('active');

      await x.db.schema.renameTable('audit_logs_away', 'audit_logs');
      const again = await x.http
        .post(`/api/admin/users/${customer.userId}/status`)
        .set(xAdmin.auth)
        .send({ status: 'banned', reason: '恶意下单' });
      expect(again.status).toBe(200);
      expect((await x.db('users').where({ id: customer.userId }).first()).status).toBe('banned');
      expect(await x.db('audit_logs').where({ action: 'users.manage', target_id: String(customer.userId) })).toMatchObject([
        { outcome: 'succeeded', status_code: 200 },
      ]);
    } finally {
      await x.close();
    }
  });

  it('when the pending row of a staff sign-in cannot be written, then the sign-in is refused before the password is checked: no session, no failure counted', async () => {
    const x = await createTestApp();
    try {
      const s = await loginAsStaff(x, 'agent');
      await x.db.schema.renameTable('audit_logs', 'audit_logs_away');
      const untouched = await snapshot(x.db);

      const right = await x.http.post('/api/admin/auth/login').send({ username: s.username, password: STAFF_PASSWORD });
      const wrong = await x.http.post('/api/admin/auth/login').send({ username: s.username, password: 'wrong-password' });

      for (const res of [right, wrong]) {
        expect(res.status).toBe(500);
        expect(res.body.error.code).toBe('INTERNAL');
        expect(res.body.data).toBeUndefined();
      }
      // No refresh token (session), no last sign-in time, no failure counted.
      expect(await snapshot(x.db)).toEqual(untouched);

      await x.db.schema.renameTable('audit_logs_away', 'audit_logs');
      const before = await lastAuditId(x.db);
      expect((await x.http.post('/api/admin/auth/login').send({ username: s.username, password: STAFF_PASSWORD })).status).toBe(
        200,
      );
      expect(await auditRowsAfter(before, x.db)).toMatchObject([
        { action: 'staff.login', actor_id: s.userId, target_id: String(s.userId), outcome: 'succeeded', status_code: 200 },
      ]);
    } finally {
      await x.close();
    }
  });
});
