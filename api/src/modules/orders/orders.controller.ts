import type { Request, Response } from 'express';
import { principal } from '../../shared/auth';
import { validationFailed, zodDetails } from '../../shared/errors';
import { distanceKm, roundKm } from '../../shared/geo';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import type { DispatchService } from '../dispatch';
import type { OrdersService } from './orders.service';
import {
  adminOrdersQuery,
  arriveBody,
  assignBody,
  completeBody,
  createOrderBody,
  hallQuery,
  idempotencyHeader,
  listOrdersQuery,
  optionalReasonBody,
  orderIdParams,
  quoteBody,
  reasonBody,
  statsQuery,
} from './orders.schemas';
import { eventView, quoteView, type OrderPresenter } from './orders.views';

export const ordersRequests = {
  create: { body: createOrderBody },
  list: { query: listOrdersQuery },
  hall: { query: hallQuery },
  byId: { params: orderIdParams },
  reason: { params: orderIdParams, body: reasonBody },
  optionalReason: { params: orderIdParams, body: optionalReasonBody },
  arrive: { params: orderIdParams, body: arriveBody },
  quote: { params: orderIdParams, body: quoteBody },
  complete: { params: orderIdParams, body: completeBody },
  adminList: { query: adminOrdersQuery },
  assign: { params: orderIdParams, body: assignBody },
  stats: { query: statsQuery },
};

export function createOrdersController(orders: OrdersService, dispatch: DispatchService, present: OrderPresenter) {
  const one = async (order: Parameters<OrderPresenter['full']>[0][number]) => (await present.full([order]))[0];
  const id = (req: Request) => valid(req, ordersRequests.byId).params.id;

  return {
    pricing: () => orders.priceTable(),

    create: async (req: Request, res: Response) => {
      const header = req.get('Idempotency-Key');
      let key: string | undefined;
      if (header !== undefined) {
        const parsed = idempotencyHeader.safeParse(header);
        if (!parsed.success) throw validationFailed(zodDetails(parsed.error, ['headers', 'idempotency-key']));
        key = parsed.data;
      }
      const { order, replayed } = await orders.create(principal(req), valid(req, ordersRequests.create).body, key);
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      return one(order);
    },

    list: async (req: Request) => {
      const page = await orders.list(principal(req), valid(req, ordersRequests.list).query);
      return paged({ ...page, items: await present.full(page.items) });
    },

    hall: async (req: Request) => {
      const page = await orders.hall(principal(req), valid(req, ordersRequests.hall).query);
      return paged({ ...page, items: await present.maskedJson(page.items) });
    },

    detail: async (req: Request) => {
      const { order, view, viewer } = await orders.visibility(principal(req), id(req));
      const at =
        viewer && viewer.latitude !== null && viewer.longitude !== null
          ? { latitude: viewer.latitude, longitude: viewer.longitude }
          : null;
      const km = at ? roundKm(distanceKm(order, at)) : null;
      if (view === 'masked') return (await present.masked([{ order, distanceKm: km }]))[0];
      const quotes = (await orders.quotes(order.id)).map(quoteView);
      return { ...(await one(order)), distanceKm: km, quotes };
    },

    events: async (req: Request) => (await orders.events(principal(req), id(req))).map(eventView),

    grab: async (req: Request) => one(await orders.grab(principal(req), id(req))),
    acceptOffer: async (req: Request) => one(await orders.acceptOffer(principal(req), id(req))),
    rejectOffer: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.optionalReason);
      await dispatch.reject(principal(req), params.id, body.reason);
      return {};
    },
    arrive: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.arrive);
      return one(await orders.arrive(principal(req), params.id, body));
    },
    release: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.reason);
      return one(await orders.release(principal(req), params.id, body.reason));
    },
    quote: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.quote);
      return one(await orders.quote(principal(req), params.id, body));
    },
    acceptQuote: async (req: Request) => one(await orders.acceptQuote(principal(req), id(req))),
    rejectQuote: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.optionalReason);
      return one(await orders.rejectQuote(principal(req), params.id, body.reason));
    },
    complete: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.complete);
      return one(await orders.complete(principal(req), params.id, body));
    },
    cancel: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.reason);
      return one(await orders.cancel(principal(req), params.id, body.reason));
    },

    // --- staff
    adminList: async (req: Request) => {
      const page = await orders.adminList(valid(req, ordersRequests.adminList).query);
      return paged({ ...page, items: await present.full(page.items) });
    },
    adminDetail: async (req: Request) => {
      const { order } = await orders.visibility(principal(req), id(req));
      const [view, events, quotes, offers] = await Promise.all([
        one(order),
        orders.events(principal(req), order.id),
        orders.quotes(order.id),
        dispatch.offers(order.id),
      ]);
      return { ...view, events: events.map(eventView), quotes: quotes.map(quoteView), dispatchOffers: offers };
    },
    candidates: (req: Request) => dispatch.candidates(id(req)),
    assign: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.assign);
      req.log.info({ actor: principal(req).id, orderId: params.id, electricianId: body.electricianId }, 'staff assigned order');
      return one(await orders.assign(principal(req), params.id, body.electricianId));
    },
    unassign: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.reason);
      req.log.info({ actor: principal(req).id, orderId: params.id, reason: body.reason }, 'staff unassigned order');
      return one(await orders.unassign(principal(req), params.id, body.reason));
    },
    adminCancel: async (req: Request) => {
      const { params, body } = valid(req, ordersRequests.reason);
      req.log.info({ actor: principal(req).id, orderId: params.id, reason: body.reason }, 'staff cancelled order');
      return one(await orders.cancel(principal(req), params.id, body.reason, true));
    },
    stats: (req: Request) => orders.stats(valid(req, ordersRequests.stats).query),
  };
}
