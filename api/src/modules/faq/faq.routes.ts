import type { Request } from 'express';
import { z } from 'zod';
import { principal } from '../../shared/auth';
import { paged, type RouteDef } from '../../shared/routing';
import { valid } from '../../shared/validate';
import { conversationView, messageView } from '../chat';
import type { Article, Unanswered } from './faq.repository';
import {
  adminFaqQuery,
  adminFaqView,
  answerView,
  askBody,
  complaintBody,
  createArticleBody,
  escalateBody,
  faqQuery,
  faqView,
  feedbackBody,
  feedbackView,
  idParams,
  patchArticleBody,
  unansweredQuery,
  unansweredView,
  type FaqCategory,
} from './faq.schemas';
import type { FaqService } from './faq.service';

const r = {
  browse: { query: faqQuery },
  feedback: { params: idParams, body: feedbackBody },
  ask: { body: askBody },
  escalate: { body: escalateBody },
  complaint: { body: complaintBody },
  adminList: { query: adminFaqQuery },
  create: { body: createArticleBody },
  patch: { params: idParams, body: patchArticleBody },
  byId: { params: idParams },
  unanswered: { query: unansweredQuery },
};

const publicView = (a: Article): z.infer<typeof faqView> => ({
  id: a.id,
  category: a.category as FaqCategory,
  question: a.question,
  answer: a.answer,
});
const adminView = (a: Article): z.infer<typeof adminFaqView> => ({
  ...publicView(a),
  keywords: a.keywords,
  active: a.active,
  helpfulCount: a.helpfulCount,
  unhelpfulCount: a.unhelpfulCount,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});
const unansweredItem = (u: Unanswered): z.infer<typeof unansweredView> => ({
  id: u.id,
  question: u.question,
  count: u.count,
  firstAskedAt: u.firstAskedAt.toISOString(),
  lastAskedAt: u.lastAskedAt.toISOString(),
});

export function faqRoutes(faq: FaqService): RouteDef[] {
  const tags = ['Customer service'];
  return [
    // --- customers and electricians
    {
      method: 'get',
      path: '/api/faq',
      summary: 'The knowledge base: active articles of a category, or those answering a keyword (best first, paraphrases too)',
      tags,
      auth: 'user',
      staff: 'self',
      schemas: r.browse,
      response: z.array(faqView),
      handler: async (req: Request) => (await faq.browse(valid(req, r.browse).query)).map(publicView),
    },
    {
      method: 'post',
      path: '/api/faq/:id/feedback',
      summary: '有帮助/没帮助 on an article: one vote per user, a second call changes it',
      tags,
      auth: 'user',
      staff: 'none',
      schemas: r.feedback,
      response: feedbackView,
      handler: (req: Request) => {
        const { params, body } = valid(req, r.feedback);
        return faq.feedback(principal(req), params.id, body.helpful);
      },
    },
    {
      method: 'post',
      path: '/api/chat/customer-service/ask',
      summary:
        'Ask the bot in my customer-service conversation: my question and its reply (senderRole bot, meta.faqIds) are stored and delivered as chat messages; up to 3 answers with scores; suggestHuman when none answers well or I ask for a person',
      tags,
      auth: 'user',
      staff: 'none',
      schemas: r.ask,
      response: z.object({
        answers: z.array(answerView),
        suggestHuman: z.boolean(),
        message: messageView,
        questionMessage: messageView,
      }),
      handler: (req: Request) => faq.ask(principal(req), valid(req, r.ask).body.question),
    },
    {
      method: 'post',
      path: '/api/chat/customer-service/escalate',
      summary:
        '转人工: my customer-service conversation waits for an agent (status waiting_agent) and agents with chat.service are notified; again while waiting or with an agent changes nothing',
      tags,
      auth: 'user',
      staff: 'none',
      schemas: r.escalate,
      response: conversationView,
      handler: (req: Request) => faq.escalate(principal(req), valid(req, r.escalate).body.reason),
    },
    {
      method: 'post',
      path: '/api/chat/customer-service/complaint',
      summary:
        'Turn my customer-service conversation into a complaint about one of my orders (the complaints rules: my completed order within the warranty, one open at a time — 404, 409 INVALID_TRANSITION, WARRANTY_EXPIRED, COMPLAINT_OPEN); a system line links it',
      tags,
      auth: 'user',
      staff: 'none',
      status: 201,
      schemas: r.complaint,
      response: z.object({
        complaint: z.object({
          id: z.number(),
          orderId: z.number(),
          orderNo: z.string(),
          type: z.string(),
          status: z.string(),
          level: z.string(),
          createdAt: z.string(),
        }),
        message: messageView,
      }),
      handler: (req: Request) => faq.complain(principal(req), valid(req, r.complaint).body),
    },

    // --- staff: the knowledge base
    {
      method: 'get',
      path: '/api/admin/faq',
      summary:
        'Every article (active or not) with its helpful / unhelpful votes; keyword matches question, answer or keywords literally',
      tags: ['Admin'],
      auth: { permission: 'faq.manage' },
      schemas: r.adminList,
      response: z.array(adminFaqView),
      handler: async (req: Request) => (await faq.list(valid(req, r.adminList).query)).map(adminView),
    },
    {
      method: 'post',
      path: '/api/admin/faq',
      summary: 'Add an article; the bot answers with it at once (on every instance)',
      tags: ['Admin'],
      auth: { permission: 'faq.manage' },
      status: 201,
      schemas: r.create,
      response: adminFaqView,
      handler: async (req: Request) => adminView(await faq.create(valid(req, r.create).body)),
    },
    {
      method: 'patch',
      path: '/api/admin/faq/:id',
      summary: 'Change an article (active: false retires it from the bot and the customers’ list)',
      tags: ['Admin'],
      auth: { permission: 'faq.manage' },
      schemas: r.patch,
      response: adminFaqView,
      handler: async (req: Request) => {
        const { params, body } = valid(req, r.patch);
        return adminView(await faq.update(params.id, body));
      },
    },
    {
      method: 'delete',
      path: '/api/admin/faq/:id',
      summary: 'Delete an article and its votes',
      tags: ['Admin'],
      auth: { permission: 'faq.manage' },
      schemas: r.byId,
      response: z.object({}),
      handler: async (req: Request) => {
        await faq.remove(valid(req, r.byId).params.id);
        return {};
      },
    },
    {
      method: 'get',
      path: '/api/admin/faq/unanswered',
      summary: 'Questions no article answered, one row per normalised text with its count, most asked first',
      tags: ['Admin'],
      auth: { permission: 'faq.manage' },
      schemas: r.unanswered,
      response: z.array(unansweredView),
      handler: async (req: Request) => {
        const page = await faq.unanswered(valid(req, r.unanswered).query);
        return paged({ ...page, items: page.items.map(unansweredItem) });
      },
    },
    {
      method: 'delete',
      path: '/api/admin/faq/unanswered/:id',
      summary: 'Dismiss a collected question (answered by a new article, or not worth one)',
      tags: ['Admin'],
      auth: { permission: 'faq.manage' },
      schemas: r.byId,
      response: z.object({}),
      handler: async (req: Request) => {
        await faq.dismissUnanswered(valid(req, r.byId).params.id);
        return {};
      },
    },
  ];
}
