import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';
import { NOTIFICATION_TYPES, type Notification } from './messages.repository';

const id = z.coerce.number().int().positive();
const templateId = z.string().min(1).max(64);

export const listQuery = paginationQuery.extend({
  type: z.enum(NOTIFICATION_TYPES).optional(),
  readStatus: z.enum(['read', 'unread']).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const notificationParams = z.object({ id });

/** The outcome of wx.requestSubscribeMessage: the templates asked for and those the user accepted. */
export const subscriptionsBody = z
  .object({
    templateIds: z.array(templateId).min(1).max(20),
    accepted: z.array(templateId).max(20),
  })
  .refine((b) => b.accepted.every((t) => b.templateIds.includes(t)), {
    path: ['accepted'],
    message: 'accepted must be a subset of templateIds',
  });
export type SubscriptionsBody = z.infer<typeof subscriptionsBody>;

export const notificationView = z
  .object({
    id: z.number().int(),
    type: z.enum(NOTIFICATION_TYPES),
    title: z.string(),
    content: z.string(),
    orderId: z.number().int().nullable(),
    conversationId: z.number().int().nullable(),
    read: z.boolean(),
    readAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Notification' });
export type NotificationView = z.infer<typeof notificationView>;

export const unreadCountView = z.object({
  total: z.number().int(),
  byType: z.object(Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, z.number().int()])) as Record<string, z.ZodNumber>),
});

export const subscriptionsView = z.object({
  /** Configured templates by purpose: what the mini-program passes to wx.requestSubscribeMessage. */
  templates: z.record(z.string(), z.string()),
  /** Remaining one-time grants per template id. */
  grants: z.record(z.string(), z.number().int()),
});

export const readAllView = z.object({ updated: z.number().int() });

export function toNotificationView(n: Notification): NotificationView {
  return {
    id: n.id,
    type: n.type,
    title: n.title,
    content: n.content,
    orderId: n.orderId,
    conversationId: n.conversationId,
    read: n.readAt !== null,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}
