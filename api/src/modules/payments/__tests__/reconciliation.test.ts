import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWechatPay, type FakeWechatPay } from '../../../../test/fakes/wechatpay-server';
import { createTestApp, loginAsAdmin, type TestApp } from '../../../../test/harness';
import { createReconciliationReads } from '../payment-reports.repository';
import { reconcile } from '../reconciliation';
import { completedOrder } from './payment-helpers';

let fake: FakeWechatPay;
let t: TestApp;
const ROOT = path.resolve(__dirname, '../../../../..');

beforeAll(async () => {
  fake = await startFakeWechatPay();
  t = await createTestApp({ env: fake.env() });
  fake.now = () => t.clock.now();
  // Noon in Beijing, so the whole story happens on one Beijing day.
  t.clock.set('2026-11-10T04:00:00.000Z');
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
});

const deliver = (p: string, n: { headers: Record<string, string>; body: string }) =>
  t.http.post(p).set(n.headers).set('Content-Type', 'application/json').send(n.body);

async function pay(name: string, labourFee: number) {
  const o = await completedOrder(t, name, labourFee);
  const created = await t.http.post('/api/payments').set(o.customer.auth).send({ orderId: o.orderId });
  expect((await deliver('/api/payments/notify', fake.successNotify(created.body.data.paymentNo))).status).toBe(204);
  return o;
}

describe('reconciliation', () => {
  it('when orders are paid and partly refunded, then the day balances to the fen and the CLI says so', async () => {
    const a = await pay('rec-a', 5000); // 8000: 800 + 7200
    await pay('rec-b', 1550); // 4550: 455 (454.5 rounds up) + 4095
    const admin = await loginAsAdmin(t);
    const refund = await t.http
      .post(`/api/admin/orders/${a.orderId}/refund`)
      .set(admin.auth)
      .send({ amount: 3333, reason: '部分退款' });
    expect((await deliver('/api/payments/refund-notify', fake.refundNotify(refund.body.data.refundNo))).status).toBe(204);

    const r = await reconcile(createReconciliationReads(t.db), '2026-11-01', '2026-11-30');
    expect(r.problems).toEqual([]);
    expect(r.balanced).toBe(true);
    expect(r.days).toHaveLength(1);
    expect(r.days[0]).toMatchObject({
      date: '2026-11-10',
      payments: 2,
      paid: 12_550,
      platformFee: 1255,
      electricianAmount: 11_295,
      refunds: 1,
      refunded: 3333,
      refundFromElectrician: 3000,
      refundFromPlatform: 333,
      netPlatform: 922,
      netElectrician: 8295,
      balanced: true,
    });
    expect((await reconcile(createReconciliationReads(t.db), '2026-11-11', '2026-11-30')).days).toEqual([]);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconcile-'));
    const run = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        [path.join(ROOT, 'scripts/reconcile.ts'), '--from', '2026-11-01', '--to', '2026-11-30'],
        { cwd: dir, env: { ...process.env, DATABASE_URL: t.config.databaseUrl, NODE_ENV: 'test' } },
        (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout }),
      );
    });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2026-11-10');
    expect(run.stdout).toContain('125.50');
    expect(run.stdout).toContain('balanced to the fen');
  });

  it('when a payment row does not add up, then reconciliation names it and does not balance', async () => {
    const o = await pay('rec-bad', 2000);
    const row = await t.db('payments').where({ order_id: o.orderId }).first();
    await t
      .db('payments')
      .where({ id: row.id })
      .update({ platform_fee: Number(row.platform_fee) + 1 });
    const r = await reconcile(createReconciliationReads(t.db), '2026-11-10', '2026-11-10');
    expect(r.balanced).toBe(false);
    expect(r.problems.join('\n')).toContain(String(row.payment_no));
    await expect(reconcile(createReconciliationReads(t.db), '2026-11-30', '2026-11-01')).rejects.toThrow(RangeError);
  });
});
