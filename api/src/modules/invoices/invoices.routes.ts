import { z } from 'zod';
import type { RouteDef } from '../../shared/routing';
import { createInvoicesController, invoicesRequests as r } from './invoices.controller';
import { adminInvoiceView, invoiceView } from './invoices.schemas';
import type { InvoicesService } from './invoices.service';

export function invoicesRoutes(service: InvoicesService, views: Parameters<typeof createInvoicesController>[1]): RouteDef[] {
  const c = createInvoicesController(service, views);
  const tags = ['Invoices'];
  const admin = ['Admin'];
  return [
    // --- the customer
    {
      method: 'post',
      path: '/api/orders/:id/invoice',
      summary:
        'Ask for an invoice of my paid order (发票): personal or company title, a company with its 统一社会信用代码; amount = paid − refunds (404 not mine; 409 INVALID_TRANSITION unpaid, NOTHING_TO_INVOICE all refunded, INVOICE_EXISTS a request open or an invoice issued)',
      tags,
      auth: 'user',
      // Finance issues invoices at /api/admin/invoices; asking for one is the customer's.
      staff: 'none',
      status: 201,
      schemas: r.request,
      response: invoiceView,
      handler: c.request,
    },
    {
      method: 'get',
      path: '/api/invoices',
      summary: 'My invoices and requests, newest first',
      tags,
      auth: 'user',
      staff: 'none',
      schemas: r.mine,
      response: z.array(invoiceView),
      handler: c.mine,
    },
    {
      method: 'get',
      path: '/api/invoices/:id',
      summary: 'One of my invoices; an issued one has its invoice number and a signed, expiring fileUrl',
      tags,
      auth: 'user',
      staff: 'none',
      schemas: r.byId,
      response: invoiceView,
      handler: c.get,
    },

    // --- finance
    {
      method: 'get',
      path: '/api/admin/invoices',
      summary: 'Invoice requests and invoices, newest first (filter by status, order)',
      tags: admin,
      auth: { permission: 'finance.invoices' },
      schemas: r.adminList,
      response: z.array(adminInvoiceView),
      handler: c.adminList,
    },
    {
      method: 'post',
      path: '/api/admin/invoices/:id/issue',
      summary:
        'Issue a requested invoice: its number and file (my upload of purpose invoice, PDF or image); the amount is taken again from the payment (409 INVALID_TRANSITION, INVOICE_NO_EXISTS, NOTHING_TO_INVOICE; 400 INVALID_UPLOAD)',
      tags: admin,
      auth: { permission: 'finance.invoices' },
      schemas: r.issue,
      response: adminInvoiceView,
      handler: c.issue,
    },
    {
      method: 'post',
      path: '/api/admin/invoices/:id/reject',
      summary: 'Reject a requested invoice with a reason; the customer may ask again (409 INVALID_TRANSITION)',
      tags: admin,
      auth: { permission: 'finance.invoices' },
      schemas: r.reject,
      response: adminInvoiceView,
      handler: c.reject,
    },
  ];
}
