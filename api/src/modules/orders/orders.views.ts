import { maskName, maskPhone } from '../../shared/privacy';
import type { ElectricianCards } from '../electricians';
import { avatarUrls } from '../users';
import type { z } from 'zod';
import { JsonText } from '../../shared/routing';
import { VISIT_FEE_DUE_FROM } from './order-states';
import type { Order, OrderEvent, Quote } from './orders.repository';
import type { orderEventView, orderPublicView, orderView } from './orders.schemas';

export interface ImageRef {
  id: number;
  url: string;
}

/** Signs image ids for responses (the files module's `refs`). */
export type SignImages = (ids: number[]) => Promise<ImageRef[]>;

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** What cancelling now would cost: the visit fee once the electrician has arrived. */
export const cancelFeeOf = (o: Order) => (VISIT_FEE_DUE_FROM.includes(o.status) ? o.visitFee : 0);

/** What the customer owes now. */
export function amountDueOf(o: Order): number {
  if (o.paymentStatus !== 'unpaid') return 0;
  if (o.status === 'completed' || o.status === 'cancelled') return o.finalAmount ?? 0;
  return 0;
}

/**
 * A coordinate rounded to 0.01° (about 1 km): enough to put an order on a map of the hall, not
 * enough to find the house before the order is accepted.
 */
export const coarse = (degrees: number) => Math.round(degrees * 100) / 100;

/** What the privacy-masked view reads of an order (the hall index holds these). */
export type PublicOrder = Pick<
  Order,
  | 'id'
  | 'orderNo'
  | 'title'
  | 'description'
  | 'faultType'
  | 'priority'
  | 'status'
  | 'region'
  | 'latitude'
  | 'longitude'
  | 'contactName'
  | 'contactPhone'
  | 'images'
  | 'visitFee'
  | 'estimatedAmount'
  | 'scheduledAt'
  | 'expiresAt'
  | 'createdAt'
>;

export function publicView(o: PublicOrder, images: ImageRef[], distanceKm: number | null): z.infer<typeof orderPublicView> {
  return {
    id: o.id,
    orderNo: o.orderNo,
    title: o.title,
    description: o.description,
    faultType: o.faultType,
    priority: o.priority,
    status: o.status,
    region: o.region,
    distanceKm,
    approxLocation: { latitude: coarse(o.latitude), longitude: coarse(o.longitude) },
    contactName: maskName(o.contactName) ?? '',
    contactPhone: maskPhone(o.contactPhone) ?? '',
    images,
    visitFee: o.visitFee,
    estimatedAmount: o.estimatedAmount,
    scheduledAt: iso(o.scheduledAt),
    expiresAt: iso(o.expiresAt),
    createdAt: o.createdAt.toISOString(),
  };
}

export interface ElectricianCard {
  id: number;
  name: string;
  phone: string | null;
  avatarUrl: string | null;
  rating: number;
  completedOrders: number;
}

export function fullView(
  o: Order,
  refs: { images: ImageRef[]; repairImages: ImageRef[] },
  electrician: ElectricianCard | null,
  distanceKm: number | null = null,
): z.infer<typeof orderView> {
  return {
    ...publicView(o, refs.images, distanceKm),
    contactName: o.contactName,
    contactPhone: o.contactPhone,
    address: o.address,
    latitude: o.latitude,
    longitude: o.longitude,
    userId: o.userId,
    electricianId: o.electricianId,
    electrician,
    quotedAmount: o.quotedAmount,
    finalAmount: o.finalAmount,
    quoteItems: o.quoteItems,
    quoteVersion: o.quoteVersion,
    cancelFee: cancelFeeOf(o),
    amountDue: amountDueOf(o),
    repairContent: o.repairContent,
    repairImages: refs.repairImages,
    paymentStatus: o.paymentStatus,
    paidAt: iso(o.paidAt),
    cancelReason: o.cancelReason,
    cancelledBy: o.cancelledBy,
    dispatchStatus: o.dispatchStatus,
    acceptedAt: iso(o.acceptedAt),
    arrivedAt: iso(o.arrivedAt),
    quotedAt: iso(o.quotedAt),
    startedAt: iso(o.startedAt),
    completedAt: iso(o.completedAt),
    cancelledAt: iso(o.cancelledAt),
    expiredAt: iso(o.expiredAt),
    arriveDueAt: iso(o.arriveDueAt),
    version: o.version,
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function eventView(e: OrderEvent): z.infer<typeof orderEventView> {
  return {
    id: e.id,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actorId: e.actorId,
    actorRole: e.actorRole,
    details: e.details,
    createdAt: e.createdAt.toISOString(),
  };
}

export function quoteView(q: Quote) {
  return {
    version: q.version,
    items: q.items,
    materialsFee: q.materialsFee,
    labourFee: q.labourFee,
    amount: q.amount,
    note: q.note,
    status: q.status,
    reason: q.reason,
    createdAt: q.createdAt.toISOString(),
    decidedAt: q.decidedAt?.toISOString() ?? null,
  };
}

/**
 * Builds views for a page of orders with one signing call and one electrician-card lookup (and one
 * signing call for their avatars) for the whole page, rather than one per order.
 */
export function createOrderPresenter(electricians: ElectricianCards, sign: SignImages) {
  async function cards(ids: number[]): Promise<Map<number, ElectricianCard>> {
    if (ids.length === 0) return new Map();
    const sources = [...(await electricians.cards(ids)).values()];
    const avatars = await avatarUrls(sign, sources);
    return new Map(
      sources.map((e, i) => [
        e.id,
        {
          id: e.id,
          name: maskName(e.realName) ?? '',
          phone: e.phone,
          avatarUrl: avatars[i]!,
          rating: e.rating,
          completedOrders: e.completedOrders,
        },
      ]),
    );
  }

  /** The signed refs of the given uploads (one query for a page), by id. */
  async function signedMap(ids: number[]): Promise<Map<number, ImageRef>> {
    return new Map((await sign([...new Set(ids)])).map((r) => [r.id, r]));
  }
  const pick = (ids: number[], refs: Map<number, ImageRef>) => ids.map((id) => refs.get(id)).filter((r): r is ImageRef => !!r);

  /**
   * The masked view of each order the hall shows, as JSON bytes (UTF-8) but for its two fields of
   * the moment (the distance and the signed photos): written once per state of the order, since the
   * hall index replaces the object it holds when the order changes.
   */
  const maskedBytes = new WeakMap<PublicOrder, Buffer>();
  function maskedRest(o: PublicOrder): Buffer {
    let bytes = maskedBytes.get(o);
    if (bytes === undefined) {
      const { distanceKm: _d, images: _i, ...rest } = publicView(o, [], null);
      maskedBytes.set(o, (bytes = Buffer.from(JSON.stringify(rest).slice(1))));
    }
    return bytes;
  }

  return {
    async full(orders: Order[]) {
      const [refs, electricians] = await Promise.all([
        signedMap(orders.flatMap((o) => [...o.images, ...o.repairImages])),
        cards([...new Set(orders.map((o) => o.electricianId).filter((id): id is number => id !== null))]),
      ]);
      return orders.map((o) =>
        fullView(
          o,
          { images: pick(o.images, refs), repairImages: pick(o.repairImages, refs) },
          o.electricianId ? (electricians.get(o.electricianId) ?? null) : null,
        ),
      );
    },
    async masked(items: { order: PublicOrder; distanceKm: number | null }[]) {
      const refs = await signedMap(items.flatMap((i) => i.order.images));
      return items.map((i) => publicView(i.order, pick(i.order.images, refs), i.distanceKm));
    },
    /** `masked`, as JSON, each order's unchanging part written once (see `maskedRest`). */
    async maskedJson(items: { order: PublicOrder; distanceKm: number }[]): Promise<JsonText[]> {
      const signing = items.some((i) => i.order.images.length > 0);
      const refs = signing ? await signedMap(items.flatMap((i) => i.order.images)) : undefined;
      return items.map((i) => {
        const images = refs ? JSON.stringify(pick(i.order.images, refs)) : '[]';
        return new JsonText(`{"distanceKm":${JSON.stringify(i.distanceKm)},"images":${images},`, maskedRest(i.order));
      });
    },
  };
}

export type OrderPresenter = ReturnType<typeof createOrderPresenter>;
