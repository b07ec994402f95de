import { request } from './request';

export interface PaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export interface CreatedPayment {
  paymentNo: string;
  amount: number;
  paymentParams: PaymentParams;
}

export type PaymentStatus = 'pending' | 'paid' | 'closed' | 'failed' | 'refunded' | 'partial_refund';

export interface Payment {
  paymentNo: string;
  orderId: number;
  amount: number;
  status: PaymentStatus;
  transactionId: string | null;
  expireTime: string;
  paidAt: string | null;
  createdAt: string;
}

/** POST /api/payments: `amount` is what the page shows; the API refuses a mismatch (AMOUNT_MISMATCH). */
export function createPayment(orderId: number, amount?: number): Promise<CreatedPayment> {
  return request<CreatedPayment>({
    url: '/api/payments',
    method: 'POST',
    data: amount === undefined ? { orderId } : { orderId, amount },
  });
}

export function getPayment(paymentNo: string, opts: { silent?: boolean } = {}): Promise<Payment> {
  return request<Payment>({ url: `/api/payments/${paymentNo}`, silent: opts.silent });
}

/** Dev pay mode only: the API sends itself a signed success notify for this payment. */
export function devSucceed(paymentNo: string): Promise<Payment> {
  return request<Payment>({ url: `/api/dev/payments/${paymentNo}/succeed`, method: 'POST', data: {} });
}

/** The API's dev pay sandbox issues prepay ids `wx_dev_<paymentNo>`; real WeChat Pay never does. */
export function isDevPay(params: PaymentParams): boolean {
  return params.package.startsWith('prepay_id=wx_dev_');
}
