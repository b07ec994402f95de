import { z } from 'zod';
import { limiter, perUser, type RateLimits } from '../../shared/rate-limit';
import type { RouteDef } from '../../shared/routing';
import type { DispatchService } from '../dispatch';
import { createOrdersController, ordersRequests as r } from './orders.controller';
import { assignCandidateView, orderEventView, orderPublicView, orderView } from './orders.schemas';
import type { OrdersService } from './orders.service';
import type { OrderPresenter } from './orders.views';

export function ordersRoutes(
  orders: OrdersService,
  dispatch: DispatchService,
  present: OrderPresenter,
  limits: RateLimits,
): RouteDef[] {
  const c = createOrdersController(orders, dispatch, present);
  const tags = ['Orders'];
  const post = (
    path: string,
    summary: string,
    schemas: RouteDef['schemas'],
    handler: RouteDef['handler'],
    staff: RouteDef['staff'] = 'none',
  ): RouteDef => ({
    method: 'post',
    path,
    summary,
    tags,
    auth: 'user',
    staff,
    schemas,
    response: orderView,
    handler,
  });
  return [
    // --- before /:id so these paths are not taken for ids
    {
      method: 'get',
      path: '/api/orders/pricing',
      summary: 'Visit fee and estimate per fault type (fen), shown before ordering',
      tags,
      auth: 'public',
      response: z.array(
        z.object({
          faultType: z.string(),
          name: z.string(),
          visitFee: z.number(),
          estimatedAmount: z.number(),
          urgentSurcharge: z.number(),
        }),
      ),
      handler: c.pricing,
    },
    {
      method: 'get',
      path: '/api/orders/hall',
      summary: 'Pending orders within a radius, nearest first, privacy-masked (approved, online electricians)',
      tags,
      auth: 'user',
      schemas: r.hall,
      response: z.array(orderPublicView),
      handler: c.hall,
    },
    {
      method: 'post',
      path: '/api/orders',
      summary: 'Place an order (optional Idempotency-Key header: a retry within 24 h returns the first order)',
      tags,
      auth: 'user',
      status: 201,
      before: [limiter(limits, 'orderCreate', { key: perUser })],
      schemas: r.create,
      response: orderView,
      handler: c.create,
    },
    {
      method: 'get',
      path: '/api/orders',
      summary: 'My orders (as customer or as electrician)',
      tags,
      auth: 'user',
      schemas: r.list,
      response: z.array(orderView),
      handler: c.list,
    },
    {
      method: 'get',
      path: '/api/orders/:id',
      summary: 'Order detail (full for its parties and staff, masked for electricians viewing the hall)',
      tags,
      auth: 'user',
      staff: 'orders.read',
      schemas: r.byId,
      response: z.union([orderView, orderPublicView]),
      handler: c.detail,
    },
    {
      method: 'get',
      path: '/api/orders/:id/events',
      summary: 'Order timeline, oldest first',
      tags,
      auth: 'user',
      staff: 'orders.read',
      schemas: r.byId,
      response: z.array(orderEventView),
      handler: c.events,
    },
    // --- transitions
    post('/api/orders/:id/grab', 'Grab a pending order (409 ORDER_TAKEN if someone was first)', r.byId, c.grab),
    post('/api/orders/:id/dispatch/accept', 'Accept a dispatch offer', r.byId, c.acceptOffer),
    {
      ...post('/api/orders/:id/dispatch/reject', 'Reject a dispatch offer', r.optionalReason, c.rejectOffer),
      response: z.object({}),
    },
    post('/api/orders/:id/arrive', 'Check in on site', r.arrive, c.arrive),
    post('/api/orders/:id/release', 'Give the order back to the hall', r.reason, c.release),
    post(
      '/api/orders/:id/quote',
      'Quote labour and materials (fen); lines with catalogItemId are priced against the price list (400 PRICE_ABOVE_CEILING, CATALOG_ITEM_UNAVAILABLE)',
      r.quote,
      c.quote,
    ),
    post('/api/orders/:id/quote/accept', 'Accept the quote', r.byId, c.acceptQuote),
    post('/api/orders/:id/quote/reject', 'Reject the quote', r.optionalReason, c.rejectQuote),
    post('/api/orders/:id/complete', 'Complete with repair content and photos', r.complete, c.complete),
    post('/api/orders/:id/cancel', 'Cancel (after arrival the visit fee is due)', r.reason, c.cancel, 'orders.cancel'),
  ];
}

export function adminOrdersRoutes(orders: OrdersService, dispatch: DispatchService, present: OrderPresenter): RouteDef[] {
  const c = createOrdersController(orders, dispatch, present);
  const tags = ['Admin'];
  return [
    {
      method: 'get',
      path: '/api/admin/orders',
      summary: 'List and search all orders',
      tags,
      auth: { permission: 'orders.read' },
      schemas: r.adminList,
      response: z.array(orderView),
      handler: c.adminList,
    },
    {
      method: 'get',
      path: '/api/admin/orders/:id',
      summary: 'Order detail with timeline, quotes and dispatch offers',
      tags,
      auth: { permission: 'orders.read' },
      schemas: r.byId,
      handler: c.adminDetail,
    },
    {
      method: 'get',
      path: '/api/admin/orders/:id/candidates',
      summary: 'Electricians to assign the order to: nearest first, then least loaded',
      tags,
      auth: { permission: 'orders.assign' },
      schemas: r.byId,
      response: z.array(assignCandidateView),
      handler: c.candidates,
    },
    {
      method: 'post',
      path: '/api/admin/orders/:id/assign',
      summary: 'Assign to an eligible electrician',
      tags,
      auth: { permission: 'orders.assign' },
      schemas: r.assign,
      response: orderView,
      handler: c.assign,
    },
    {
      method: 'post',
      path: '/api/admin/orders/:id/unassign',
      summary: 'Take the order back to the hall',
      tags,
      auth: { permission: 'orders.assign' },
      schemas: r.reason,
      response: orderView,
      handler: c.unassign,
    },
    {
      method: 'post',
      path: '/api/admin/orders/:id/cancel',
      summary: 'Cancel with a reason',
      tags,
      auth: { permission: 'orders.cancel' },
      schemas: r.reason,
      response: orderView,
      handler: c.adminCancel,
    },
    {
      method: 'get',
      path: '/api/admin/stats',
      summary: 'Dashboard figures',
      tags,
      auth: { permission: 'stats.read' },
      schemas: r.stats,
      handler: c.stats,
    },
  ];
}
