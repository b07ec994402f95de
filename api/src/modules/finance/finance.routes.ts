import type { Request, Response } from 'express';
import { z } from 'zod';
import { paged, type RouteDef } from '../../shared/routing';
import { valid } from '../../shared/validate';
import {
  orderIdParams,
  paymentsQuery,
  paymentView,
  reconciliationQuery,
  refundRowView,
  refundsQuery,
  settlementsView,
  toPaymentView,
  toRefundView,
} from './finance.schemas';
import { reconciliationCsv, type FinanceService } from './finance.service';

const requests = {
  payments: { query: paymentsQuery },
  refunds: { query: refundsQuery },
  reconciliation: { query: reconciliationQuery },
  ofOrder: { params: orderIdParams },
};

export function financeRoutes(finance: FinanceService): RouteDef[] {
  const tags = ['Admin'];
  return [
    {
      method: 'get',
      path: '/api/admin/payments',
      summary: 'Payments ledger (status, settlement status, order, keyword, creation time range)',
      tags,
      auth: { permission: 'finance.read' },
      schemas: requests.payments,
      response: z.array(paymentView),
      handler: async (req: Request) => {
        const page = await finance.payments(valid(req, requests.payments).query);
        return paged({ ...page, items: page.items.map(toPaymentView) });
      },
    },
    {
      method: 'get',
      path: '/api/admin/refunds',
      summary: 'Refunds ledger',
      tags,
      auth: { permission: 'finance.read' },
      schemas: requests.refunds,
      response: z.array(refundRowView),
      handler: async (req: Request) => {
        const page = await finance.refunds(valid(req, requests.refunds).query);
        return paged({ ...page, items: page.items.map(toRefundView) });
      },
    },
    {
      method: 'get',
      path: '/api/admin/finance/settlements',
      summary: "Electricians' shares by settlement status, and how many are due now",
      tags,
      auth: { permission: 'finance.read' },
      response: settlementsView,
      handler: () => finance.settlements(),
    },
    {
      method: 'get',
      path: '/api/admin/finance/reconciliation',
      summary: 'Reconciliation per Beijing day for a date range (format=csv for a download)',
      tags,
      auth: { permission: 'finance.read' },
      schemas: requests.reconciliation,
      handler: async (req: Request, res: Response) => {
        const { from, to, format } = valid(req, requests.reconciliation).query;
        const report = await finance.reconciliation(from, to);
        if (format === 'json') return report;
        res.type('text/csv; charset=utf-8').attachment(`reconciliation-${from}-${to}.csv`).send(reconciliationCsv(report));
      },
    },
    {
      method: 'get',
      path: '/api/admin/orders/:id/payments',
      summary: "An order's payments and refunds",
      tags,
      auth: { permission: 'orders.read' },
      schemas: requests.ofOrder,
      response: z.object({ payments: z.array(paymentView), refunds: z.array(refundRowView) }),
      handler: async (req: Request) => {
        const { payments, refunds } = await finance.ofOrder(valid(req, requests.ofOrder).params.id);
        return { payments: payments.map(toPaymentView), refunds: refunds.map(toRefundView) };
      },
    },
  ];
}
