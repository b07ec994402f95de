import { z } from 'zod';
import { FAULT_TYPES } from '../../config';
import { paginationQuery } from '../../shared/pagination';
import { ORDER_STATUSES } from './order-states';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const latitude = z.coerce.number().min(-90).max(90);
const longitude = z.coerce.number().min(-180).max(180);
const uploadIds = (max: number) => z.array(z.number().int().positive()).max(max);
const fen = z.number().int().min(0).max(10_000_000);

export const orderIdParams = z.object({ id: z.coerce.number().int().positive() });

/** Who to meet and where: an order's contact and place, the same rules for an address-book entry. */
export const placeFields = {
  contactName: text(1, 20),
  contactPhone: z.string().regex(/^1[3-9]\d{9}$/, '请输入正确的手机号'),
  address: text(5, 200),
  region: text(2, 60),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
};
const PLACE_KEYS = Object.keys(placeFields) as (keyof typeof placeFields)[];
export type Place = { [K in keyof typeof placeFields]: z.infer<(typeof placeFields)[K]> };

/**
 * Either the contact and place in full, or `addressId`: one of the caller's address-book entries,
 * copied into the order when it is placed. Not both, so what the order gets is never ambiguous.
 */
export const createOrderBody = z
  .strictObject({
    addressId: z.number().int().positive().optional().meta({
      description: 'One of my address-book entries (GET /api/addresses), instead of contactName … longitude',
    }),
    contactName: placeFields.contactName.optional(),
    contactPhone: placeFields.contactPhone.optional(),
    address: placeFields.address.optional(),
    region: placeFields.region.optional(),
    latitude: placeFields.latitude.optional(),
    longitude: placeFields.longitude.optional(),
    description: text(5, 1000),
    urgentType: z.enum(['urgent', 'normal']),
    faultType: z.enum(FAULT_TYPES),
    title: text(2, 60).optional(),
    images: uploadIds(9).optional(),
    scheduledAt: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).optional(),
  })
  .superRefine((v, ctx) => {
    const given = PLACE_KEYS.filter((k) => v[k] !== undefined);
    if (v.addressId !== undefined) {
      for (const k of given)
        ctx.addIssue({ code: 'custom', path: [k], message: '已选择地址簿中的地址（addressId），不能同时填写此项' });
      return;
    }
    for (const k of PLACE_KEYS.filter((x) => v[x] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [k], message: '必填（或改用 addressId 选择地址簿中的地址）' });
    }
  });
export type CreateOrderBody = z.infer<typeof createOrderBody>;

export const idempotencyHeader = z
  .string()
  .trim()
  .min(8)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const listOrdersQuery = paginationQuery.extend({
  status: z.enum(ORDER_STATUSES).optional(),
  as: z.enum(['customer', 'electrician']).optional(),
  /** `true`: only the orders with money owed (a completed or cancelled order not yet paid). */
  owed: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const hallQuery = paginationQuery.extend({
  latitude,
  longitude,
  radiusKm: z.coerce.number().positive().max(50).default(10),
  faultType: z.enum(FAULT_TYPES).optional(),
  priority: z.enum(['low', 'medium', 'high', 'urgent']).optional(),
});

export const reasonBody = z.strictObject({ reason: text(2, 200) });
export const optionalReasonBody = z.strictObject({ reason: text(1, 200).optional() });
export const arriveBody = z.strictObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });
export const quoteBody = z.strictObject({
  items: z
    .array(
      z
        .strictObject({
          catalogItemId: z
            .number()
            .int()
            .positive()
            .optional()
            .meta({ description: 'a price-list item: its name and unit are used' }),
          name: text(1, 50).optional().meta({ description: 'required for a free-text line (priceFlag custom)' }),
          quantity: z.number().int().min(1).max(999),
          unitPrice: fen,
        })
        .refine((l) => l.catalogItemId !== undefined || l.name !== undefined, {
          message: '请选择价目表项目或填写名称',
          path: ['name'],
        }),
    )
    .max(30)
    .default([]),
  labourFee: fen,
  note: text(1, 500).optional(),
});
export const completeBody = z.strictObject({
  repairContent: text(5, 2000),
  repairImages: uploadIds(9).min(1, '请至少上传一张维修照片'),
});

export const adminOrdersQuery = paginationQuery.extend({
  status: z.enum(ORDER_STATUSES).optional(),
  electricianId: z.coerce.number().int().positive().optional(),
  from: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).optional(),
  to: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).optional(),
  keyword: text(1, 50).optional(),
});
export const assignBody = z.strictObject({ electricianId: z.number().int().positive() });
export const statsQuery = z.object({
  from: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).optional(),
  to: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).optional(),
});

const uploadRef = z.object({ id: z.number(), url: z.string() });
const quoteItem = z.object({
  name: z.string(),
  quantity: z.number(),
  unitPrice: z.number(),
  catalogItemId: z.number().optional(),
  unit: z.string().optional(),
  standardPrice: z.number().optional().meta({ description: 'fen; lines quoted from the price list' }),
  priceFlag: z
    .enum(['standard', 'above_standard', 'custom'])
    .optional()
    .meta({ description: 'against the price list; absent on quotes made before it' }),
});

/** What anyone but the owner, the assigned electrician and staff sees (SPEC 3.2 privacy). */
export const orderPublicView = z
  .object({
    id: z.number(),
    orderNo: z.string(),
    title: z.string(),
    description: z.string(),
    faultType: z.enum(FAULT_TYPES),
    priority: z.enum(['low', 'medium', 'high', 'urgent']),
    status: z.enum(ORDER_STATUSES),
    region: z.string(),
    distanceKm: z.number().nullable(),
    approxLocation: z
      .object({ latitude: z.number(), longitude: z.number() })
      .meta({ description: 'Rounded to 0.01° (about 1 km): where on a map, not which house' }),
    contactName: z.string().meta({ description: 'Masked, e.g. 张*' }),
    contactPhone: z.string().meta({ description: 'Masked, e.g. 138****1234' }),
    images: z.array(uploadRef),
    visitFee: z.number(),
    estimatedAmount: z.number(),
    scheduledAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'OrderPublic' });

export const orderView = orderPublicView
  .extend({
    contactName: z.string(),
    contactPhone: z.string(),
    address: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    userId: z.number(),
    electricianId: z.number().nullable(),
    electrician: z
      .object({
        id: z.number(),
        name: z.string(),
        phone: z.string().nullable(),
        avatarUrl: z.string().nullable(),
        rating: z.number(),
        completedOrders: z.number(),
      })
      .nullable(),
    quotedAmount: z.number().nullable(),
    finalAmount: z.number().nullable(),
    quoteItems: z.array(quoteItem).nullable(),
    quoteVersion: z.number(),
    cancelFee: z.number().meta({ description: 'What cancelling now would cost the customer (fen)' }),
    amountDue: z.number().meta({ description: 'What the customer owes now (fen)' }),
    repairContent: z.string().nullable(),
    repairImages: z.array(uploadRef),
    paymentStatus: z.enum(['unpaid', 'paid', 'refunded', 'partial_refund']),
    paidAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    cancelledBy: z.string().nullable(),
    dispatchStatus: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    arrivedAt: z.string().nullable(),
    quotedAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    expiredAt: z.string().nullable(),
    arriveDueAt: z.string().nullable(),
    version: z.number(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Order' });

export const assignCandidateView = z
  .object({
    electricianId: z.number(),
    name: z.string(),
    rating: z.number(),
    workStatus: z.string(),
    activeOrders: z.number(),
    completedOrders: z.number(),
    distanceKm: z.number(),
    full: z.boolean().meta({ description: 'At the active-order cap: assigning would be refused' }),
  })
  .meta({ id: 'AssignCandidate' });

export const orderEventView = z
  .object({
    id: z.number(),
    action: z.string(),
    fromStatus: z.string().nullable(),
    toStatus: z.string(),
    actorId: z.number().nullable(),
    actorRole: z.string(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .meta({ id: 'OrderEvent' });
