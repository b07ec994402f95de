import type { components } from './api-types';
import type { Conversation } from './chat';
import type { ComplaintType } from './complaints';
import { query, request } from './request';

/** An article of the knowledge base, as customers see it. */
export type FaqArticle = components['schemas']['FaqArticle'];
export type FaqCategory = FaqArticle['category'];

export interface BotAnswer {
  faqId: number;
  question: string;
  answer: string;
  score: number;
}

export const FAQ_CATEGORY_TEXT: Record<FaqCategory, string> = {
  order: '下单与上门',
  fee: '费用',
  payment: '支付与退款',
  invoice: '发票',
  after_sales: '售后与保修',
  account: '账号与隐私',
  electrician: '电工入驻',
  other: '其他',
};

export function faqArticles(
  q: { keyword?: string; category?: FaqCategory } = {},
  opts: { silent?: boolean } = {},
): Promise<FaqArticle[]> {
  return request<FaqArticle[]>({ url: `/api/faq${query(q)}`, silent: opts.silent });
}

/** Asks the bot in my customer-service conversation; the question and its reply arrive as chat messages too. */
export function askBot(question: string): Promise<{ answers: BotAnswer[]; suggestHuman: boolean }> {
  return request({ url: '/api/chat/customer-service/ask', method: 'POST', data: { question } });
}

/** 有帮助 / 没帮助: one vote per article and person (a second call changes it). */
export function faqFeedback(faqId: number, helpful: boolean) {
  return request<{ faqId: number; helpful: boolean }>({
    url: `/api/faq/${faqId}/feedback`,
    method: 'POST',
    data: { helpful },
    silent: true,
  });
}

/** 转人工: the conversation waits for an agent, who is notified. */
export function escalate(reason?: string): Promise<Conversation> {
  return request<Conversation>({
    url: '/api/chat/customer-service/escalate',
    method: 'POST',
    data: reason ? { reason } : {},
  });
}

/**
 * Files a complaint about one of my orders from the customer-service conversation (the complaints'
 * rules apply); the conversation gets a line that links it.
 */
export function complainFromService(body: {
  orderId: number;
  type: ComplaintType;
  content: string;
  images?: number[];
}): Promise<{ complaint: { id: number; orderId: number; orderNo: string } }> {
  return request({ url: '/api/chat/customer-service/complaint', method: 'POST', data: { ...body } });
}
