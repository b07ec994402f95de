import { z } from 'zod';
import { FAULT_TYPES } from '../../config';
import { paginationQuery } from '../../shared/pagination';

export const CATALOG_CATEGORIES = ['labour', 'material'] as const;
export type CatalogCategory = (typeof CATALOG_CATEGORIES)[number];
export const MOVEMENT_TYPES = ['in', 'reserve', 'release', 'issue', 'return', 'adjust'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];
export const PARTS_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'issued', 'settled', 'cancelled'] as const;
export type PartsRequestStatus = (typeof PARTS_REQUEST_STATUSES)[number];

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
/** Money is integer fen (at most ¥100,000 a unit). */
const fen = z.number().int().min(0).max(10_000_000);
/** A count of units: a whole number, at least 1 (a fraction or zero is refused). */
const quantity = z.number().int().min(1).max(100_000);
const booleanQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const idParams = z.object({ id: z.coerce.number().int().positive() });

// --- catalog

export const catalogQuery = z.object({
  faultType: z.enum(FAULT_TYPES).optional(),
  category: z.enum(CATALOG_CATEGORIES).optional(),
  keyword: text(1, 50).optional(),
});

export const adminCatalogQuery = catalogQuery.extend({ active: booleanQuery.optional() });

const catalogFields = {
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, '编码为 2–32 位大写字母、数字或连字符'),
  name: text(1, 100),
  category: z.enum(CATALOG_CATEGORIES),
  unit: text(1, 10),
  standardPrice: fen,
  maxPrice: fen,
  faultTypes: z.array(z.enum(FAULT_TYPES)).max(FAULT_TYPES.length),
  active: z.boolean(),
  safetyStock: z.number().int().min(0).max(100_000),
};

const priceOrder = (b: { standardPrice?: number; maxPrice?: number }, ctx: z.RefinementCtx) => {
  if (b.standardPrice !== undefined && b.maxPrice !== undefined && b.maxPrice < b.standardPrice)
    ctx.addIssue({ code: 'custom', path: ['maxPrice'], message: '最高价不能低于标准价' });
};

export const createCatalogItemBody = z
  .strictObject({
    ...catalogFields,
    faultTypes: catalogFields.faultTypes.default([]),
    active: catalogFields.active.default(true),
    safetyStock: catalogFields.safetyStock.default(0),
  })
  .superRefine(priceOrder);
export type CreateCatalogItem = z.infer<typeof createCatalogItemBody>;

export const patchCatalogItemBody = z
  .strictObject(
    Object.fromEntries(Object.entries(catalogFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof catalogFields]: z.ZodOptional<(typeof catalogFields)[K]>;
    },
  )
  .refine((b) => Object.keys(b).length > 0, { message: '请至少修改一项' })
  .superRefine(priceOrder);
export type PatchCatalogItem = z.infer<typeof patchCatalogItemBody>;

export const catalogItemView = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    category: z.enum(CATALOG_CATEGORIES),
    unit: z.string(),
    standardPrice: z.number().int().meta({ description: 'fen' }),
    maxPrice: z.number().int().meta({ description: 'fen: a quote above it is refused' }),
    faultTypes: z.array(z.enum(FAULT_TYPES)),
  })
  .meta({ id: 'CatalogItem' });

export const adminCatalogItemView = catalogItemView
  .extend({
    active: z.boolean(),
    safetyStock: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminCatalogItem' });

// --- warehouses and stock

export const createWarehouseBody = z.strictObject({ name: text(1, 50), address: text(1, 255).optional() });

export const warehouseView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    address: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Warehouse' });

export const stockQuery = z.object({
  warehouseId: z.coerce.number().int().positive().optional(),
  lowOnly: booleanQuery.optional(),
});

export const stockView = z
  .object({
    warehouseId: z.number().int(),
    catalogItemId: z.number().int(),
    code: z.string(),
    name: z.string(),
    unit: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int().meta({ description: 'onHand − reserved' }),
    safetyStock: z.number().int(),
    low: z.boolean().meta({ description: 'available below the safety stock' }),
  })
  .meta({ id: 'StockBalance' });

export const movementsQuery = paginationQuery.extend({
  warehouseId: z.coerce.number().int().positive().optional(),
  catalogItemId: z.coerce.number().int().positive().optional(),
  type: z.enum(MOVEMENT_TYPES).optional(),
  partsRequestId: z.coerce.number().int().positive().optional(),
});

export const createMovementBody = z
  .strictObject({
    warehouseId: z.number().int().positive(),
    catalogItemId: z.number().int().positive(),
    type: z.enum(['in', 'adjust']),
    quantity: z.number().int().min(-100_000).max(100_000),
    note: text(1, 255),
  })
  .superRefine((b, ctx) => {
    if (b.quantity === 0 || (b.type === 'in' && b.quantity < 0))
      ctx.addIssue({
        code: 'custom',
        path: ['quantity'],
        message: b.type === 'in' ? '入库数量须为正整数' : '调整数量不能为 0',
      });
  });
export type CreateMovement = z.infer<typeof createMovementBody>;

export const movementView = z
  .object({
    id: z.number().int(),
    warehouseId: z.number().int(),
    catalogItemId: z.number().int(),
    itemName: z.string(),
    type: z.enum(MOVEMENT_TYPES),
    quantity: z.number().int().meta({ description: 'units; signed for adjust' }),
    actorId: z.number().int().nullable(),
    actorRole: z.string(),
    partsRequestId: z.number().int().nullable(),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'StockMovement' });

// --- parts requests

const distinctItems = <T extends { catalogItemId: number }>(items: T[], ctx: z.RefinementCtx) => {
  const seen = new Set<number>();
  items.forEach((item, i) => {
    if (seen.has(item.catalogItemId))
      ctx.addIssue({ code: 'custom', path: ['items', i, 'catalogItemId'], message: '同一配件只能出现一次' });
    seen.add(item.catalogItemId);
  });
};

export const createPartsRequestBody = z
  .strictObject({
    warehouseId: z.number().int().positive(),
    items: z
      .array(z.strictObject({ catalogItemId: z.number().int().positive(), quantity }))
      .min(1)
      .max(20),
    note: text(1, 255).optional(),
  })
  .superRefine((b, ctx) => distinctItems(b.items, ctx));
export type CreatePartsRequest = z.infer<typeof createPartsRequestBody>;

export const settleBody = z
  .strictObject({
    items: z
      .array(z.strictObject({ catalogItemId: z.number().int().positive(), used: z.number().int().min(0).max(100_000) }))
      .min(1)
      .max(20),
  })
  .superRefine((b, ctx) => distinctItems(b.items, ctx));
export type SettleBody = z.infer<typeof settleBody>;

export const rejectBody = z.strictObject({ reason: text(1, 255) });
export const cancelBody = z.strictObject({ reason: text(1, 255).optional() });

export const adminPartsRequestsQuery = paginationQuery.extend({
  status: z.enum(PARTS_REQUEST_STATUSES).optional(),
  warehouseId: z.coerce.number().int().positive().optional(),
  orderId: z.coerce.number().int().positive().optional(),
});

export const partsRequestView = z
  .object({
    id: z.number().int(),
    orderId: z.number().int(),
    orderNo: z.string(),
    electricianId: z.number().int(),
    warehouseId: z.number().int(),
    warehouseName: z.string(),
    status: z.enum(PARTS_REQUEST_STATUSES),
    note: z.string().nullable(),
    reason: z.string().nullable().meta({ description: 'why it was rejected or cancelled' }),
    items: z.array(
      z.object({
        catalogItemId: z.number().int(),
        code: z.string(),
        name: z.string(),
        unit: z.string(),
        quantity: z.number().int(),
        used: z.number().int().nullable().meta({ description: 'set when settled; the rest went back to stock' }),
      }),
    ),
    approvedAt: z.string().nullable(),
    issuedAt: z.string().nullable(),
    settledAt: z.string().nullable(),
    closedAt: z.string().nullable().meta({ description: 'when it was rejected or cancelled' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PartsRequest' });
