import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpeg } from '../../../../test/fixtures/images';
import { count, createTestApp, login, loginAsAdmin, type Session, type TestApp } from '../../../../test/harness';
import { placeOrder, uploadImage } from '../../orders/__tests__/order-helpers';
import { completeOrderBetween } from '../../payments/__tests__/payment-helpers';
import { loginAsStaff } from '../../staff/__tests__/staff-helpers';
import {
  COMPANY,
  invoiceFile,
  invoiceRows,
  invoiceWorld,
  paidOrder,
  pay,
  PERSONAL,
  pdf,
  requestInvoice,
  upload,
  VALID_CREDIT_CODES,
} from './invoice-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const notifications = async (userId: number) => {
  await t.c.bus.drain();
  return (await t.db('notifications').where({ user_id: userId }).orderBy('id')) as {
    title: string;
    content: string;
    order_id: number | null;
  }[];
};
const issue = (s: Session, id: number, body: object) => t.http.post(`/api/admin/invoices/${id}/issue`).set(s.auth).send(body);
const reject = (s: Session, id: number, reason = '抬头与付款人不符') =>
  t.http.post(`/api/admin/invoices/${id}/reject`).set(s.auth).send({ reason });
const refund = async (orderId: number, amount: number) => {
  const admin = await loginAsAdmin(t);
  const res = await t.http.post(`/api/admin/orders/${orderId}/refund`).set(admin.auth).send({ amount, reason: '部分退款' });
  if (res.status !== 200) throw new Error(`refund failed: ${res.status} ${JSON.stringify(res.body)}`);
};

describe('invoices: the customer asks, finance issues', () => {
  it('when a customer asks for a company invoice of their paid order and finance issues it with a PDF, then the customer sees its number and downloads the file through a signed URL, and both sides are notified', async () => {
    const w = await invoiceWorld(t, 'inv-flow');
    const asked = await requestInvoice(t, w.customer, w.orderId, {
      ...COMPANY,
      taxNumber: COMPANY.taxNumber.toLowerCase(),
      email: 'finance@tencent.example.com',
    });
    expect(asked.status).toBe(201);
    expect(asked.body.data).toEqual({
      id: expect.any(Number),
      orderId: w.orderId,
      orderNo: expect.stringMatching(/^E/),
      titleType: 'company',
      title: COMPANY.title,
      taxNumber: COMPANY.taxNumber,
      email: 'finance@tencent.example.com',
      amount: w.amount,
      status: 'requested',
      invoiceNo: null,
      fileUrl: null,
      fileMime: null,
      rejectReason: null,
      createdAt: expect.any(String),
      issuedAt: null,
      rejectedAt: null,
    });
    const id = asked.body.data.id as number;
    expect((await notifications(w.finance.userId)).map((n) => n.title)).toContain('新的发票申请');

    const queue = await t.http.get('/api/admin/invoices').set(w.finance.auth).query({ status: 'requested', orderId: w.orderId });
    expect(queue.status).toBe(200);
    expect(queue.body.data).toEqual([
      expect.objectContaining({ id, userId: w.customer.userId, status: 'requested', decidedBy: null }),
    ]);
    expect(queue.body.pagination).toEqual({ page: 1, limit: 10, total: 1 });

    const uploaded = await upload(t, w.finance, 'invoice', pdf());
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.data).toMatchObject({ mime: 'application/pdf', width: null, height: null });
    const issued = await issue(w.finance, id, { invoiceNo: '24332000000012345678', fileUploadId: uploaded.body.data.id });
    expect(issued.status).toBe(200);
    expect(issued.body.data).toMatchObject({
      id,
      status: 'issued',
      invoiceNo: '24332000000012345678',
      amount: w.amount,
      fileUploadId: uploaded.body.data.id,
      fileMime: 'application/pdf',
      decidedBy: w.finance.userId,
      issuedAt: expect.any(String),
    });
    expect(await t.db('uploads').where({ id: uploaded.body.data.id }).first()).toMatchObject({
      resource_type: 'invoice',
      resource_id: id,
    });

    const mine = await t.http.get(`/api/invoices/${id}`).set(w.customer.auth);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toMatchObject({ status: 'issued', invoiceNo: '24332000000012345678', fileMime: 'application/pdf' });
    expect(mine.body.data).not.toHaveProperty('decidedBy');
    expect(mine.body.data.fileUrl).toMatch(/^\/api\/files\/\d+\?exp=\d+&sig=/);
    const file = await t.http
      .get(mine.body.data.fileUrl as string)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="?invoice-\d+\.pdf"?$/);
    expect((file.body as Buffer).toString('latin1', 0, 5)).toBe('%PDF-');
    // Without its signature the file is no one's.
    expect((await t.http.get(`/api/files/${uploaded.body.data.id}`)).status).toBe(403);

    const told = await notifications(w.customer.userId);
    const issuedNote = told.find((n) => n.title === '发票已开具')!;
    expect(issuedNote.content).toContain('24332000000012345678');
    expect(issuedNote.order_id).toBe(w.orderId);

    const list = await t.http.get('/api/invoices').set(w.customer.auth);
    expect(list.body.data.map((i: { id: number }) => i.id)).toEqual([id]);
    expect(list.body.pagination).toEqual({ page: 1, limit: 10, total: 1 });

    // Issued is final: neither issued again nor rejected, and the order has its invoice.
    const again = await issue(w.finance, id, { invoiceNo: '24332000000099999999', fileUploadId: uploaded.body.data.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_TRANSITION');
    expect((await reject(w.finance, id)).status).toBe(409);
    const second = await requestInvoice(t, w.customer, w.orderId, PERSONAL);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('INVOICE_EXISTS');
    expect(await count(t.db, 'invoices', { order_id: w.orderId })).toBe(1);

    const audit = await t
      .db('audit_logs')
      .where({ actor_id: w.finance.userId })
      .where('route', 'like', '/api/admin/invoices/%')
      .orderBy('id');
    expect(
      audit.map((a: { action: string; outcome: string; status_code: number }) => [a.action, a.outcome, a.status_code]),
    ).toEqual([
      ['finance.invoices', 'succeeded', 200],
      ['finance.invoices', 'failed', 409],
      ['finance.invoices', 'failed', 409],
    ]);
  });

  it('when finance rejects a request, then the customer is told the reason, it can no longer be issued, and a new request is allowed', async () => {
    const w = await invoiceWorld(t, 'inv-reject');
    const first = await requestInvoice(t, w.customer, w.orderId, PERSONAL);
    expect(first.status).toBe(201);
    const dup = await requestInvoice(t, w.customer, w.orderId, PERSONAL);
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('INVOICE_EXISTS');

    const rejected = await reject(w.finance, first.body.data.id, '请填写单位抬头');
    expect(rejected.status).toBe(200);
    expect(rejected.body.data).toMatchObject({
      status: 'rejected',
      rejectReason: '请填写单位抬头',
      rejectedAt: expect.any(String),
    });
    const note = (await notifications(w.customer.userId)).find((n) => n.title === '发票申请被驳回')!;
    expect(note.content).toContain('请填写单位抬头');

    const file = await invoiceFile(t, w.finance);
    const late = await issue(w.finance, first.body.data.id, { invoiceNo: '12345678', fileUploadId: file });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('INVALID_TRANSITION');
    expect((await reject(w.finance, first.body.data.id)).status).toBe(409);
    // The refused issue attached nothing.
    expect((await t.db('uploads').where({ id: file }).first()).attached_at).toBeNull();

    const retry = await requestInvoice(t, w.customer, w.orderId, COMPANY);
    expect(retry.status).toBe(201);
    expect(retry.body.data).toMatchObject({ status: 'requested', titleType: 'company' });
    const listed = await t.http.get('/api/invoices').set(w.customer.auth);
    expect(listed.body.data.map((i: { status: string }) => i.status)).toEqual(['requested', 'rejected']);
  });

  it('when the order was partly refunded, then the invoice is for what was paid less refunds; a refund before the issue lowers it; all refunded leaves nothing to invoice', async () => {
    const w = await invoiceWorld(t, 'inv-refund');
    await refund(w.orderId, 1500);
    const asked = await requestInvoice(t, w.customer, w.orderId, PERSONAL);
    expect(asked.status).toBe(201);
    expect(asked.body.data.amount).toBe(w.amount - 1500);

    await refund(w.orderId, 500);
    const issued = await issue(w.finance, asked.body.data.id, {
      invoiceNo: 'NO-0001-A',
      fileUploadId: await invoiceFile(t, w.finance),
    });
    expect(issued.status).toBe(200);
    expect(issued.body.data.amount).toBe(w.amount - 2000);

    const other = await invoiceWorld(t, 'inv-refund-all');
    const pending = await requestInvoice(t, other.customer, other.orderId, PERSONAL);
    await refund(other.orderId, other.amount);
    const nothing = await issue(other.finance, pending.body.data.id, {
      invoiceNo: 'NO-0002-A',
      fileUploadId: await invoiceFile(t, other.finance),
    });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('NOTHING_TO_INVOICE');
    expect((await t.db('invoices').where({ id: pending.body.data.id }).first()).status).toBe('requested');
    expect((await reject(other.finance, pending.body.data.id, '订单已全额退款')).status).toBe(200);
    const refused = await requestInvoice(t, other.customer, other.orderId, PERSONAL);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('NOTHING_TO_INVOICE');
  });

  it("when the order is someone else's, unpaid or not there, then 404 / 409 INVALID_TRANSITION and nothing is written", async () => {
    const w = await invoiceWorld(t, 'inv-refuse');
    const eve = await login(t, 'inv-refuse-eve');
    const unpaid = await placeOrder(t, w.customer);
    const before = await invoiceRows(t);

    const foreign = await requestInvoice(t, eve, w.orderId, PERSONAL);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    const notPaid = await requestInvoice(t, w.customer, unpaid.id, PERSONAL);
    expect(notPaid.status).toBe(409);
    expect(notPaid.body.error.code).toBe('INVALID_TRANSITION');
    expect((await requestInvoice(t, w.customer, 99_999_999, PERSONAL)).status).toBe(404);
    // Staff ask for nothing on a customer's behalf; finance works through /api/admin/invoices.
    expect((await requestInvoice(t, w.finance, w.orderId, PERSONAL)).status).toBe(403);
    expect(await invoiceRows(t)).toEqual(before);

    const mine = await requestInvoice(t, w.customer, w.orderId, PERSONAL);
    expect((await t.http.get(`/api/invoices/${mine.body.data.id}`).set(eve.auth)).status).toBe(404);
    expect((await t.http.get('/api/invoices').set(eve.auth)).body.data).toEqual([]);
    expect((await t.http.get(`/api/invoices/${mine.body.data.id}`).set(w.finance.auth)).status).toBe(403);
    expect((await t.http.get('/api/admin/invoices').set(w.customer.auth)).status).toBe(403);
    const agent = await loginAsStaff(t, 'agent');
    expect((await t.http.get('/api/admin/invoices').set(agent.auth)).status).toBe(403);
    expect((await reject(agent, mine.body.data.id)).status).toBe(403);
    expect((await reject(w.finance, 99_999_999)).status).toBe(404);
  });
});

describe('invoices: what a request must hold', () => {
  const bad = async (body: object, path: string[]) => {
    const w = await invoiceWorld(t, `inv-bad-${path.join('-')}-${Math.random().toString(36).slice(2, 7)}`);
    const before = await invoiceRows(t);
    const res = await requestInvoice(t, w.customer, w.orderId, body);
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { path: string[] }) => d.path)).toContainEqual(path);
    expect(await invoiceRows(t)).toEqual(before);
  };
  const code = VALID_CREDIT_CODES[2];

  it('when a company tax number is not a valid 统一社会信用代码 (check character, length, alphabet) or is missing, then 400 on taxNumber', async () => {
    await bad({ ...COMPANY, taxNumber: `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}` }, ['body', 'taxNumber']);
    await bad({ ...COMPANY, taxNumber: code.slice(0, 17) }, ['body', 'taxNumber']);
    await bad({ ...COMPANY, taxNumber: `${code.slice(0, 16)}I${code[17]}` }, ['body', 'taxNumber']);
    await bad({ ...COMPANY, taxNumber: undefined }, ['body', 'taxNumber']);
  });

  it('when a personal title carries a tax number, then 400 on taxNumber (a personal invoice has none)', async () => {
    await bad({ ...PERSONAL, taxNumber: code }, ['body', 'taxNumber']);
  });

  it('when the title is empty or longer than 100 characters, the e-mail malformed or the title type unknown, then 400 on that field', async () => {
    await bad({ ...PERSONAL, title: '   ' }, ['body', 'title']);
    await bad({ ...COMPANY, title: '公'.repeat(101) }, ['body', 'title']);
    await bad({ ...PERSONAL, email: 'not-an-email' }, ['body', 'email']);
    await bad({ ...PERSONAL, email: `${'a'.repeat(95)}@x.com` }, ['body', 'email']);
    await bad({ ...PERSONAL, titleType: 'government' }, ['body', 'titleType']);
    await bad({ ...PERSONAL, extra: 1 }, ['body']);
  });

  it('when a title of exactly 100 characters is sent, then it is kept whole', async () => {
    const w = await invoiceWorld(t, 'inv-long-title');
    const res = await requestInvoice(t, w.customer, w.orderId, { ...COMPANY, title: '公'.repeat(100) });
    expect(res.status).toBe(201);
    expect(res.body.data.title).toBe('公'.repeat(100));
  });
});

describe('invoices: the file', () => {
  it('when someone without finance.invoices uploads for purpose invoice, then 403 and nothing is stored; a PDF for any other purpose is 415', async () => {
    const customer = await login(t, 'inv-up-customer');
    const agent = await loginAsStaff(t, 'agent');
    const uploads = await count(t.db, 'uploads');
    const asCustomer = await upload(t, customer, 'invoice', pdf());
    expect(asCustomer.status).toBe(403);
    expect((await upload(t, agent, 'invoice', pdf())).status).toBe(403);
    const asOrderPhoto = await upload(t, customer, 'order', pdf());
    expect(asOrderPhoto.status).toBe(415);
    expect(asOrderPhoto.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await count(t.db, 'uploads')).toBe(uploads);
  });

  it('when finance uploads an image, a cut-off PDF or something else for purpose invoice, then the image is stored and the others are 415', async () => {
    const finance = await loginAsStaff(t, 'finance');
    const image = await upload(t, finance, 'invoice', jpeg('inv-scan'), 'scan.jpg');
    expect(image.status).toBe(201);
    expect(image.body.data.mime).toBe('image/jpeg');
    const whole = pdf();
    const cut = await upload(t, finance, 'invoice', whole.subarray(0, whole.length - 8));
    expect(cut.status).toBe(415);
    const renamed = await upload(t, finance, 'invoice', Buffer.from('<html><body>%PDF-1.4</body></html>'), 'invoice.pdf');
    expect(renamed.status).toBe(415);
    expect(await count(t.db, 'uploads', { owner_id: finance.userId })).toBe(1);
  });

  it("when finance issues with an upload that is not their invoice file, then 400 INVALID_UPLOAD and the request stays open; the customer and an agent cannot read the file's upload record, finance can", async () => {
    const w = await invoiceWorld(t, 'inv-wrong-file');
    const asked = await requestInvoice(t, w.customer, w.orderId, PERSONAL);
    const photo = await uploadImage(t, w.customer, 'order');
    const other = await loginAsStaff(t, 'finance');
    const othersFile = await invoiceFile(t, other);
    for (const fileUploadId of [photo, othersFile, 99_999_999]) {
      const res = await issue(w.finance, asked.body.data.id, { invoiceNo: '87654321', fileUploadId });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_UPLOAD');
    }
    expect(await t.db('invoices').where({ id: asked.body.data.id }).first()).toMatchObject({
      status: 'requested',
      invoice_no: null,
    });

    const file = await invoiceFile(t, w.finance);
    expect((await issue(w.finance, asked.body.data.id, { invoiceNo: '87654321', fileUploadId: file })).status).toBe(200);
    expect((await t.http.get(`/api/uploads/${file}`).set(w.customer.auth)).status).toBe(404);
    expect((await t.http.get(`/api/uploads/${file}`).set(other.auth)).status).toBe(200);
    // Reading orders is not reading invoices.
    const agent = await loginAsStaff(t, 'agent');
    expect((await t.http.get(`/api/uploads/${file}`).set(agent.auth)).status).toBe(404);

    // One invoice number, one invoice.
    const w2 = await invoiceWorld(t, 'inv-dup-no');
    const asked2 = await requestInvoice(t, w2.customer, w2.orderId, PERSONAL);
    const dup = await issue(w2.finance, asked2.body.data.id, {
      invoiceNo: '87654321',
      fileUploadId: await invoiceFile(t, w2.finance),
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('INVOICE_NO_EXISTS');
    expect((await t.db('invoices').where({ id: asked2.body.data.id }).first()).status).toBe('requested');
  });
});

describe('invoices: lists', () => {
  it('when a customer has several invoices, then they page newest first, and finance filters the queue by status', async () => {
    const finance = await loginAsStaff(t, 'finance');
    const first = await paidOrder(t, 'inv-page');
    const again = await completeOrderBetween(t, first.customer, first.electrician);
    await pay(t, first.customer, again.orderId);
    const other = await paidOrder(t, 'inv-page-other');
    const a = await requestInvoice(t, first.customer, first.orderId, PERSONAL);
    const b = await requestInvoice(t, first.customer, again.orderId, COMPANY);
    const c = await requestInvoice(t, other.customer, other.orderId, PERSONAL);
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    await reject(finance, a.body.data.id);

    const page1 = await t.http.get('/api/invoices').set(first.customer.auth).query({ page: 1, limit: 1 });
    const page2 = await t.http.get('/api/invoices').set(first.customer.auth).query({ page: 2, limit: 1 });
    expect(page1.body.pagination).toEqual({ page: 1, limit: 1, total: 2 });
    expect([...page1.body.data, ...page2.body.data].map((i: { id: number; status: string }) => [i.id, i.status])).toEqual([
      [b.body.data.id, 'requested'],
      [a.body.data.id, 'rejected'],
    ]);
    const rejected = await t.http.get('/api/admin/invoices').set(finance.auth).query({ status: 'rejected', limit: 100 });
    expect(rejected.body.data.every((i: { status: string }) => i.status === 'rejected')).toBe(true);
    expect(rejected.body.data.map((i: { id: number }) => i.id)).toContain(a.body.data.id);
    expect(rejected.body.data.map((i: { id: number }) => i.id)).not.toContain(b.body.data.id);
    const all = await t.http.get('/api/admin/invoices').set(finance.auth).query({ limit: 100 });
    const ids = all.body.data.map((i: { id: number }) => i.id) as number[];
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect((await t.http.get('/api/admin/invoices').set(finance.auth).query({ status: 'open' })).status).toBe(400);
  });
});
