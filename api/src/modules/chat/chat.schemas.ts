import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';
import { MAX_TEXT_LENGTH } from './chat.service';

const id = z.coerce.number().int().positive();

/** A message as a client sends it; image content is the id of one of the sender's `chat` uploads. */
export const messageInput = z
  .object({
    type: z.enum(['text', 'image']),
    content: z.string().trim().min(1).max(MAX_TEXT_LENGTH),
    clientId: z.string().min(1).max(64).optional(),
  })
  .refine((m) => m.type !== 'image' || /^[1-9]\d{0,9}$/.test(m.content), {
    path: ['content'],
    message: 'image content must be an upload id',
  });

export const socketMessageInput = z
  .object({
    conversationId: z.number().int().positive().optional(),
    orderId: z.number().int().positive().optional(),
    type: z.enum(['text', 'image']),
    content: z.string().trim().min(1).max(MAX_TEXT_LENGTH),
    clientId: z.string().min(1).max(64).optional(),
  })
  .refine((m) => m.conversationId !== undefined || m.orderId !== undefined, {
    path: ['conversationId'],
    message: 'conversationId or orderId is required',
  })
  .refine((m) => m.type !== 'image' || /^[1-9]\d{0,9}$/.test(m.content), {
    path: ['content'],
    message: 'image content must be an upload id',
  });

export const conversationParams = z.object({ id });
export const historyQuery = z.object({
  before: id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const readBody = z.object({ upToMessageId: z.number().int().positive() });
export const socketRead = z.object({ conversationId: z.number().int().positive(), upToMessageId: z.number().int().positive() });
export const socketTyping = z.object({ conversationId: z.number().int().positive() });
export const listQuery = paginationQuery.extend({
  /** Customer-service conversations in one hand-off state (the agents' queue: `waiting_agent`). */
  status: z.enum(['bot', 'waiting_agent', 'with_agent']).optional(),
});

export const messageView = z
  .object({
    id: z.number(),
    conversationId: z.number(),
    senderId: z.number().nullable(),
    type: z.enum(['text', 'image', 'system', 'order-card']),
    content: z.string(),
    image: z.object({ id: z.number(), url: z.string() }).nullable(),
    clientId: z.string().nullable(),
    createdAt: z.string(),
    // Always sent by this version; optional in the contract because an instance still running the
    // previous version (a rolling deploy) sends messages without them, and clients must cope.
    /** Who wrote it as what: a participant's role (`admin`: a customer-service agent), the knowledge-base `bot`, or `system`. */
    senderRole: z.enum(['customer', 'electrician', 'admin', 'bot', 'system']).optional(),
    /** A bot answer: the articles quoted (`faqIds`) and whether it suggests a person; a complaint's system line: `complaintId`. */
    meta: z
      .object({
        faqIds: z.array(z.number()).optional(),
        suggestHuman: z.boolean().optional(),
        complaintId: z.number().optional(),
      })
      .nullable()
      .optional(),
  })
  .meta({ id: 'ChatMessage' });

export const conversationView = z
  .object({
    id: z.number(),
    kind: z.enum(['order', 'service']),
    orderId: z.number().nullable(),
    customerId: z.number(),
    createdAt: z.string(),
    lastMessageAt: z.string().nullable(),
    // Not messageView.nullable(): zod-to-openapi would then document ChatMessage itself as nullable.
    lastMessage: z.union([messageView, z.null()]),
    unreadCount: z.number(),
    /** Customer-service conversations: `bot` (the knowledge base answers), `waiting_agent`, `with_agent`; null for an order's. */
    status: z.enum(['bot', 'waiting_agent', 'with_agent']).nullable(),
    /** The agent who picked it up, and when; escalatedAt: when the customer last asked for a person. */
    assigneeId: z.number().nullable(),
    assigneeName: z.string().nullable(),
    escalatedAt: z.string().nullable(),
    assignedAt: z.string().nullable(),
  })
  .meta({ id: 'Conversation' });
