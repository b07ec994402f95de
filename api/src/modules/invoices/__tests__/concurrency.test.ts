import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, type TestApp } from '../../../../test/harness';
import { COMPANY, invoiceFile, invoiceWorld, PERSONAL, requestInvoice } from './invoice-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const statuses = (responses: { status: number }[]) => responses.map((r) => r.status).sort();

describe('invoices under concurrent requests', () => {
  it('when a customer sends eight requests for one order at once, then exactly one is created and the others answer 409 INVOICE_EXISTS', async () => {
    const w = await invoiceWorld(t, 'inv-race');
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => requestInvoice(t, w.customer, w.orderId, i % 2 ? PERSONAL : COMPANY)),
    );
    expect(statuses(responses)).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('INVOICE_EXISTS');
    expect(await count(t.db, 'invoices', { order_id: w.orderId })).toBe(1);
    await t.c.bus.drain();
    // Finance is told of the one request only.
    expect(await count(t.db, 'notifications', { user_id: w.finance.userId, title: '新的发票申请' })).toBe(1);
  });

  it('when an issue, a rejection and a second issue of one request arrive at once, then one decision wins, the other answers 409 INVALID_TRANSITION, and the file is attached only if it was issued', async () => {
    for (let round = 0; round < 3; round += 1) {
      const w = await invoiceWorld(t, `inv-decide-${round}`);
      const asked = await requestInvoice(t, w.customer, w.orderId, PERSONAL);
      const id = asked.body.data.id as number;
      const file = await invoiceFile(t, w.finance);
      const [issued, rejected, issuedAgain] = await Promise.all([
        t.http
          .post(`/api/admin/invoices/${id}/issue`)
          .set(w.finance.auth)
          .send({ invoiceNo: `RACE-${round}-A`, fileUploadId: file }),
        t.http.post(`/api/admin/invoices/${id}/reject`).set(w.finance.auth).send({ reason: '信息有误' }),
        t.http
          .post(`/api/admin/invoices/${id}/issue`)
          .set(w.finance.auth)
          .send({ invoiceNo: `RACE-${round}-B`, fileUploadId: file }),
      ]);
      expect(statuses([issued, rejected, issuedAgain])).toEqual([200, 409, 409]);
      for (const r of [issued, rejected, issuedAgain].filter((x) => x.status === 409))
        expect(r.body.error.code).toBe('INVALID_TRANSITION');
      const row = await t.db('invoices').where({ id }).first();
      const upload = await t.db('uploads').where({ id: file }).first();
      if (rejected.status === 200) {
        expect(row).toMatchObject({ status: 'rejected', invoice_no: null, file_upload_id: null, open_order_id: null });
        expect(upload.attached_at).toBeNull();
      } else {
        const winner = issued.status === 200 ? `RACE-${round}-A` : `RACE-${round}-B`;
        expect(row).toMatchObject({ status: 'issued', invoice_no: winner, file_upload_id: file, open_order_id: w.orderId });
        expect(upload).toMatchObject({ resource_type: 'invoice', resource_id: id });
      }
      await t.c.bus.drain();
      const told = await t
        .db('notifications')
        .where({ user_id: w.customer.userId })
        .whereIn('title', ['发票已开具', '发票申请被驳回']);
      expect(told).toHaveLength(1);
    }
  });

  it('when two requests are issued with the same invoice number at once, then one is issued and the other answers 409 INVOICE_NO_EXISTS and stays requested', async () => {
    const a = await invoiceWorld(t, 'inv-no-race-a');
    const b = await invoiceWorld(t, 'inv-no-race-b');
    const ia = (await requestInvoice(t, a.customer, a.orderId, PERSONAL)).body.data.id as number;
    const ib = (await requestInvoice(t, b.customer, b.orderId, PERSONAL)).body.data.id as number;
    const [fa, fb] = [await invoiceFile(t, a.finance), await invoiceFile(t, b.finance)];
    const [ra, rb] = await Promise.all([
      t.http.post(`/api/admin/invoices/${ia}/issue`).set(a.finance.auth).send({ invoiceNo: '99990001', fileUploadId: fa }),
      t.http.post(`/api/admin/invoices/${ib}/issue`).set(b.finance.auth).send({ invoiceNo: '99990001', fileUploadId: fb }),
    ]);
    expect(statuses([ra, rb])).toEqual([200, 409]);
    expect([ra, rb].find((r) => r.status === 409)!.body.error.code).toBe('INVOICE_NO_EXISTS');
    const rows = await t.db('invoices').whereIn('id', [ia, ib]).orderBy('id');
    expect(rows.map((r: { status: string }) => r.status).sort()).toEqual(['issued', 'requested']);
    expect(await count(t.db, 'invoices', { invoice_no: '99990001' })).toBe(1);
  });
});
