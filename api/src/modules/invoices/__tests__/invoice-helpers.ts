import { randomBytes } from 'node:crypto';
import type { Session, TestApp } from '../../../../test/harness';
import { completedOrder } from '../../payments/__tests__/payment-helpers';
import { loginAsStaff, type StaffSession } from '../../staff/__tests__/staff-helpers';

/** Real 统一社会信用代码 (published by the companies themselves) and the standard's own example. */
export const VALID_CREDIT_CODES = [
  '91350100M000100Y43', // GB 32100-2015's example
  '91440300708461136T', // 深圳市腾讯计算机系统有限公司
  '914403001922038216', // 华为技术有限公司
  '91330100799655058B', // 阿里巴巴（中国）有限公司
  '91110108551385082Q', // 小米科技有限责任公司
] as const;

/**
 * A small, whole PDF (header, one empty page, trailer, %%EOF); `tag` makes its bytes distinct, as
 * the same bytes from the same uploader are stored once.
 */
export function pdf(tag = randomBytes(6).toString('hex')): Buffer {
  return Buffer.from(
    [
      '%PDF-1.4',
      `% invoice ${tag}`,
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj',
      'trailer << /Root 1 0 R >>',
      '%%EOF',
      '',
    ].join('\n'),
    'latin1',
  );
}

/** Uploads a file for `purpose` as `s`; returns the response, whatever its status. */
export const upload = (t: TestApp, s: Session, purpose: string, file: Buffer, filename = 'invoice.pdf') =>
  t.http.post('/api/uploads').set(s.auth).field('purpose', purpose).attach('file', file, { filename });

/** An invoice file (a PDF unless told) uploaded by finance; returns its id. */
export async function invoiceFile(t: TestApp, s: Session, file: Buffer = pdf()): Promise<number> {
  const res = await upload(t, s, 'invoice', file);
  if (res.status !== 201) throw new Error(`invoice upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as number;
}

/** Pays an order in dev pay mode as its customer. */
export async function pay(t: TestApp, customer: Session, orderId: number): Promise<void> {
  const created = await t.http.post('/api/payments').set(customer.auth).send({ orderId });
  if (created.status !== 200) throw new Error(`pay failed: ${created.status} ${JSON.stringify(created.body)}`);
  const paid = await t.http.post(`/api/dev/payments/${created.body.data.paymentNo}/succeed`).set(customer.auth);
  if (paid.status !== 200) throw new Error(`pay failed: ${paid.status} ${JSON.stringify(paid.body)}`);
}

/** A completed order of a fresh customer, paid in dev pay mode (final amount 8000 fen unless told). */
export async function paidOrder(t: TestApp, name: string, labourFee = 5000) {
  const o = await completedOrder(t, name, labourFee);
  await pay(t, o.customer, o.orderId);
  return o;
}

export const requestInvoice = (t: TestApp, s: Session, orderId: number, body: object) =>
  t.http.post(`/api/orders/${orderId}/invoice`).set(s.auth).send(body);

export const PERSONAL = { titleType: 'personal', title: '张丽', email: 'zhangli@example.com' };
export const COMPANY = { titleType: 'company', title: '深圳市腾讯计算机系统有限公司', taxNumber: VALID_CREDIT_CODES[1] };

/** A finance staff member and a paid order of a fresh customer. */
export async function invoiceWorld(t: TestApp, name: string) {
  const finance: StaffSession = await loginAsStaff(t, 'finance');
  const o = await paidOrder(t, name);
  return { finance, ...o };
}

/** The invoices table, for "nothing written" checks. */
export const invoiceRows = (t: TestApp) => t.db('invoices').orderBy('id');
