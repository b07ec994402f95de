import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/harness';
import { completeOrderBetween } from '../../payments/__tests__/payment-helpers';
import { COMPANY, invoiceFile, invoiceWorld, pay, PERSONAL, requestInvoice } from './invoice-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('invoices when the customer deletes their account', () => {
  it('when a customer with an issued personal invoice and a company request deletes their account, then the invoices stay for the books, the personal title and the e-mails are erased and the open request is closed', async () => {
    const w = await invoiceWorld(t, 'inv-delete');
    const second = await completeOrderBetween(t, w.customer, w.electrician);
    await pay(t, w.customer, second.orderId);
    const personal = await requestInvoice(t, w.customer, w.orderId, { ...PERSONAL, title: '张丽', email: 'zhangli@example.com' });
    const company = await requestInvoice(t, w.customer, second.orderId, { ...COMPANY, email: 'tax@example.com' });
    const issued = await t.http
      .post(`/api/admin/invoices/${personal.body.data.id}/issue`)
      .set(w.finance.auth)
      .send({ invoiceNo: '24330000000000000001', fileUploadId: await invoiceFile(t, w.finance) });
    expect(issued.status).toBe(200);

    const deleted = await t.http.post('/api/users/me/delete-account').set(w.customer.auth).send({ reason: '不再需要' });
    expect(deleted.status).toBe(200);

    expect(await t.db('invoices').where({ id: personal.body.data.id }).first()).toMatchObject({
      status: 'issued',
      invoice_no: '24330000000000000001',
      amount: w.amount,
      title_type: 'personal',
      title: '已注销用户',
      email: null,
      user_id: w.customer.userId,
    });
    expect(await t.db('invoices').where({ id: company.body.data.id }).first()).toMatchObject({
      status: 'rejected',
      reject_reason: '账号已注销',
      open_order_id: null,
      title: COMPANY.title,
      tax_number: COMPANY.taxNumber,
      email: null,
    });
    // Finance still finds both in the books.
    const books = await t.http.get('/api/admin/invoices').set(w.finance.auth).query({ limit: 100 });
    const ids = books.body.data.map((i: { id: number }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([personal.body.data.id, company.body.data.id]));
    expect(JSON.stringify(books.body.data)).not.toContain('zhangli@example.com');
  });
});
