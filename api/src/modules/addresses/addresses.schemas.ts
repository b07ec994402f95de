import { z } from 'zod';
import { placeFields } from '../orders';
import type { Address } from './addresses.repository';

/** At most this many entries per user: an address book, not a log. */
export const MAX_ADDRESSES = 20;

const tag = z.string().trim().min(1).max(10).meta({ description: 'A short label such as 家、公司' });

/** The same contact, place and coordinate rules as an order's, so any entry can be ordered to. */
export const createAddressBody = z.strictObject({
  ...placeFields,
  tag: tag.optional(),
  isDefault: z.boolean().optional().meta({ description: 'Make it the default (the first entry is the default anyway)' }),
});
export type CreateAddressBody = z.infer<typeof createAddressBody>;

export const updateAddressBody = z
  .strictObject({ ...placeFields, tag: tag.nullable(), isDefault: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: '至少修改一个字段' });
export type UpdateAddressBody = z.infer<typeof updateAddressBody>;

export const addressIdParams = z.object({ id: z.coerce.number().int().positive() });

export const addressView = z
  .object({
    id: z.number(),
    contactName: z.string(),
    contactPhone: z.string(),
    region: z.string(),
    address: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    tag: z.string().nullable(),
    isDefault: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Address' });
export type AddressView = z.infer<typeof addressView>;

export function toAddressView(a: Address): AddressView {
  return {
    id: a.id,
    contactName: a.contactName,
    contactPhone: a.contactPhone,
    region: a.region,
    address: a.address,
    latitude: a.latitude,
    longitude: a.longitude,
    tag: a.tag,
    isDefault: a.isDefault,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}
