import { z } from 'zod';
import { paginationQuery } from '../../shared/pagination';
import { COMPLAINT_TYPES } from '../complaints';

/** The knowledge base's sections (the console and the mini-program label them). */
export const FAQ_CATEGORIES = ['order', 'fee', 'payment', 'invoice', 'after_sales', 'account', 'electrician', 'other'] as const;
export type FaqCategory = (typeof FAQ_CATEGORIES)[number];

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const booleanQuery = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const idParams = z.object({ id: z.coerce.number().int().positive() });

export const faqQuery = z.object({
  keyword: text(1, 100).optional(),
  category: z.enum(FAQ_CATEGORIES).optional(),
});
export const adminFaqQuery = faqQuery.extend({ active: booleanQuery.optional() });

const articleFields = {
  category: z.enum(FAQ_CATEGORIES),
  question: text(2, 200),
  answer: text(2, 2000),
  keywords: z.array(text(1, 20)).max(30),
  active: z.boolean(),
};
export const createArticleBody = z.strictObject({
  ...articleFields,
  keywords: articleFields.keywords.default([]),
  active: articleFields.active.default(true),
});
export const patchArticleBody = z
  .strictObject(articleFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: '至少修改一项' });
export type CreateArticle = z.infer<typeof createArticleBody>;
export type PatchArticle = z.infer<typeof patchArticleBody>;

export const askBody = z.strictObject({ question: text(1, 500) });
export const feedbackBody = z.strictObject({ helpful: z.boolean() });
export const escalateBody = z.strictObject({ reason: text(1, 200).optional() });
export const complaintBody = z.strictObject({
  orderId: z.number().int().positive(),
  type: z.enum(COMPLAINT_TYPES),
  content: text(5, 1000),
  images: z.array(z.number().int().positive()).max(9).optional(),
});
export const unansweredQuery = paginationQuery;

export const faqView = z
  .object({ id: z.number(), category: z.enum(FAQ_CATEGORIES), question: z.string(), answer: z.string() })
  .meta({ id: 'FaqArticle' });

export const adminFaqView = faqView
  .extend({
    keywords: z.array(z.string()),
    active: z.boolean(),
    helpfulCount: z.number(),
    unhelpfulCount: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdminFaqArticle' });

export const answerView = z.object({ faqId: z.number(), question: z.string(), answer: z.string(), score: z.number() });

export const feedbackView = z.object({
  faqId: z.number(),
  helpful: z.boolean(),
  helpfulCount: z.number(),
  unhelpfulCount: z.number(),
});

export const unansweredView = z
  .object({
    id: z.number(),
    question: z.string(),
    count: z.number(),
    firstAskedAt: z.string(),
    lastAskedAt: z.string(),
  })
  .meta({ id: 'FaqUnanswered' });
