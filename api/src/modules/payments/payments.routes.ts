import type { DevWechatPay } from '../../integrations/wechatpay/wechatpay';
import type { RouteDef } from '../../shared/routing';
import { createPaymentsController, paymentsRequests as r } from './payments.controller';
import { createdPaymentView, earningsView, paymentView, refundView } from './payments.schemas';
import type { PaymentsService } from './payments.service';

/** The WeChat Pay callbacks: app.ts parses exactly these paths as a raw body (signatures cover the bytes). */
export const NOTIFY_PATHS = ['/api/payments/notify', '/api/payments/refund-notify'];

export function paymentsRoutes(service: PaymentsService, dev: DevWechatPay | undefined): RouteDef[] {
  const c = createPaymentsController(service);
  const tags = ['Payments'];
  const routes: RouteDef[] = [
    // --- the customer
    {
      method: 'post',
      path: '/api/payments',
      summary: 'Start paying an order: JSAPI prepay; answers wx.requestPayment params (reuses an open payment)',
      tags,
      auth: 'user',
      schemas: r.create,
      response: createdPaymentView,
      handler: c.create,
    },
    // --- WeChat Pay's callback (raw body; signature, freshness and GCM tag verified)
    {
      method: 'post',
      path: '/api/payments/notify',
      summary: 'WeChat Pay v3 payment notify: 204 when handled, 401 INVALID_SIGNATURE when unverifiable',
      tags,
      auth: 'public',
      status: 204,
      handler: c.notify,
    },
    {
      method: 'post',
      path: '/api/payments/refund-notify',
      summary: 'WeChat Pay v3 refund notify: 204 when handled, 401 INVALID_SIGNATURE when unverifiable',
      tags,
      auth: 'public',
      status: 204,
      handler: c.refundNotify,
    },
    {
      method: 'get',
      path: '/api/payments/:paymentNo',
      summary: 'Payment status (asks WeChat Pay while still pending)',
      tags,
      auth: 'user',
      staff: ['finance.read', 'orders.read'],
      schemas: r.byNo,
      response: paymentView,
      handler: c.get,
    },
    // --- the electrician's earnings (served here: payments own the ledger it reads)
    {
      method: 'get',
      path: '/api/electricians/me/earnings',
      summary: 'My earnings: total, pending settlement, settled (fen, net of refunds) and the credited payments',
      tags: ['Electricians'],
      auth: 'user',
      schemas: r.earnings,
      response: earningsView,
      handler: c.earnings,
    },
    // --- admin
    {
      method: 'post',
      path: '/api/admin/orders/:id/refund',
      summary: 'Refund a paid order, fully or partly (each refund has its own out_refund_no; never more than paid)',
      tags: ['Admin'],
      auth: { permission: 'refunds.create' },
      schemas: r.refund,
      response: refundView,
      handler: c.refund,
    },
  ];
  // Dev pay mode only (config refuses dev pay in production): the route does not exist otherwise.
  if (dev) {
    routes.push({
      method: 'post',
      path: '/api/dev/payments/:paymentNo/succeed',
      summary: 'Dev pay mode: send a signed, encrypted success notify through the real notify handler',
      tags,
      auth: 'user',
      schemas: r.byNo,
      response: paymentView,
      handler: c.devSucceed(dev),
    });
  }
  return routes;
}
