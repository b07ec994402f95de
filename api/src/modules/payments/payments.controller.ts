import type { Request } from 'express';
import type { DevWechatPay } from '../../integrations/wechatpay/wechatpay';
import { principal } from '../../shared/auth';
import { valid } from '../../shared/validate';
import type { PaymentsService } from './payments.service';
import { createPaymentBody, earningsQuery, orderIdParams, paymentNoParams, refundBody } from './payments.schemas';

export const paymentsRequests = {
  create: { body: createPaymentBody },
  byNo: { params: paymentNoParams },
  refund: { params: orderIdParams, body: refundBody },
  earnings: { query: earningsQuery },
};

/** The raw notify body: express.raw runs for the notify paths only (app.ts), so it is a Buffer. */
const rawBody = (req: Request) => (Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');

export function createPaymentsController(payments: PaymentsService) {
  return {
    create: (req: Request) => {
      const { body } = valid(req, paymentsRequests.create);
      return payments.create(principal(req), body.orderId, body.amount);
    },
    get: (req: Request) => payments.get(principal(req), valid(req, paymentsRequests.byNo).params.paymentNo),
    notify: (req: Request) => payments.handleNotify(req.headers, rawBody(req)),
    earnings: (req: Request) => payments.earnings(principal(req), valid(req, paymentsRequests.earnings).query),
    refundNotify: (req: Request) => payments.handleRefundNotify(req.headers, rawBody(req)),
    refund: (req: Request) => {
      const { params, body } = valid(req, paymentsRequests.refund);
      return payments.refund(params.id, body.amount, body.reason);
    },
    devSucceed: (dev: DevWechatPay) => (req: Request) =>
      payments.devSucceed(dev, principal(req), valid(req, paymentsRequests.byNo).params.paymentNo),
  };
}
