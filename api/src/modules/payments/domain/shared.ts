import { randomInt } from 'node:crypto';
import type { Config } from '../../../config';
import type { Db } from '../../../db';
import type { EncryptedResource, NotifyHeaders, WechatPay } from '../../../integrations/wechatpay/wechatpay';
import { HOUR, MINUTE, type Clock } from '../../../shared/clock';
import type { DomainBus } from '../../../shared/domain-events';
import { AppError, badRequest } from '../../../shared/errors';
import type { Logger } from '../../../shared/logger';
import type { EarningsPort } from '../../electricians';
import type { PaymentOrdersPort } from '../../orders';
import type { UserReader } from '../../users';
import type { Payment, PaymentsRepository } from '../payments.repository';

/** How long a customer has to pay a prepay before it is closed. */
export const PAYMENT_TTL_MS = 2 * HOUR;
/** A pending payment older than this has a late notify: the job asks WeChat Pay. */
export const LATE_NOTIFY_MS = MINUTE;
/** How many payments or refunds a job run takes on. */
export const JOB_BATCH = 50;

export interface PaymentsDeps {
  db: Db;
  payments: PaymentsRepository;
  /** The paid order's payment status and events (orders owns them), inside the payment's transaction. */
  orders: PaymentOrdersPort;
  /** The electrician's running earnings (electricians owns them). */
  electricians: EarningsPort;
  /** The payer's openid for JSAPI (users owns it). */
  users: UserReader;
  wxpay: WechatPay;
  bus: DomainBus;
  clock: Clock;
  business: Config['business'];
  logger: Logger;
  /** Whether a complaint about the order is open or being handled: its settlement waits (SPEC 3.3). */
  hasOpenComplaint: (orderId: number) => Promise<boolean>;
}

export const invalidSignature = (message = '支付通知签名校验失败') => new AppError('INVALID_SIGNATURE', 401, message);
export const notifyMismatch = (message: string) => badRequest('NOTIFY_MISMATCH', message);

/** A payment number (refund numbers are the same with an R): P, the UTC time to the second, 9 random digits. */
export const newPaymentNo = (now: Date) =>
  `P${now.toISOString().replace(/\D/g, '').slice(0, 14)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;

export function paymentView(p: Payment) {
  return {
    paymentNo: p.paymentNo,
    orderId: p.orderId,
    amount: p.amount,
    status: p.status,
    transactionId: p.transactionId,
    expireTime: p.expireTime.toISOString(),
    paidAt: p.paidAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
  };
}

/** Signature (serial, freshness, RSA) then GCM-authenticated decryption; either failing is a 401. */
export function openNotify<T>(
  { wxpay, logger }: Pick<PaymentsDeps, 'wxpay' | 'logger'>,
  headers: NotifyHeaders,
  rawBody: string,
): { eventType: unknown; resource: T } {
  if (!wxpay.verifyNotify(headers, rawBody)) {
    logger.warn({ serial: headers['wechatpay-serial'] }, 'wechat pay notify failed verification');
    throw invalidSignature();
  }
  try {
    const body = JSON.parse(rawBody) as { event_type?: unknown; resource?: EncryptedResource };
    return { eventType: body.event_type, resource: JSON.parse(wxpay.decryptResource(body.resource!)) as T };
  } catch (err) {
    logger.warn({ err }, 'wechat pay notify could not be decrypted');
    throw invalidSignature('支付通知解密失败');
  }
}
