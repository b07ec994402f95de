import type { Principal } from '../../shared/auth';
import type { Clock } from '../../shared/clock';
import { notFound } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import { can, ROLE_PERMISSIONS } from '../../shared/permissions';
import { maskPhone } from '../../shared/privacy';
import type { StaffRole } from '../../shared/auth';
import type { ChatMessageView, ChatService, ServiceEscalated } from '../chat';
import type { ComplaintOpener, ComplaintType } from '../complaints';
import type { MessagesService } from '../messages';
import type { StaffDirectory } from '../users';
import type { Article, ArticleFilter, FaqRepository, Unanswered } from './faq.repository';
import type { CreateArticle, PatchArticle } from './faq.schemas';
import { asksForPerson, buildIndex, normalize, type FaqIndex } from './faq.search';

/**
 * Scores (BM25 over bigrams and characters, see faq.search.ts) measured on the labelled questions
 * in __tests__/paraphrases.ts: right answers score from about 14 up (most above 50), questions the
 * knowledge base cannot answer below 20. An answer at or above ANSWERED counts as answered; those
 * between SHOWN and ANSWERED are still offered, with a person suggested, and the question is
 * collected for staff.
 */
export const ANSWERED = 20;
export const SHOWN = 10;
const TOP = 3;

const AGENT_ROLES = (Object.keys(ROLE_PERMISSIONS) as StaffRole[]).filter((role) => can(role, 'chat.service'));

export interface Answer {
  faqId: number;
  question: string;
  answer: string;
  score: number;
}

export interface FaqDeps {
  faq: FaqRepository;
  chat: Pick<ChatService, 'serviceConversation' | 'send' | 'post' | 'escalate' | 'viewFor'>;
  complaints: ComplaintOpener;
  messages: Pick<MessagesService, 'notify'>;
  staff: StaffDirectory;
  clock: Clock;
}

/** The bot's reply as a chat line: the best answer in full, the others named, and the way to a person. */
function replyText(answers: Answer[], suggestHuman: boolean): string {
  if (answers.length === 0) return '抱歉，这个问题我还没学会，已经记录下来了。您可以换个说法再问，或者点"转人工"联系客服。';
  const [best, ...more] = answers;
  const lines = [`【${best!.question}】`, best!.answer];
  if (more.length) lines.push(`您可能还想了解：${more.map((a) => a.question).join('；')}`);
  if (suggestHuman) lines.push('如果没有解决您的问题，可以点"转人工"联系客服。');
  return lines.join('\n');
}

export function createFaqService(d: FaqDeps) {
  const { faq, clock } = d;

  /**
   * The search index over the active articles, rebuilt when the knowledge base's fingerprint
   * changes — whichever instance changed it (the fingerprint is read from the database, so every
   * instance behind the load balancer answers from the same articles without a message between
   * them). Concurrent askers share one rebuild.
   */
  let held: { version: string; index: Promise<FaqIndex> } | undefined;
  async function currentIndex(): Promise<FaqIndex> {
    const version = await faq.version();
    if (held?.version !== version) {
      const index = faq.activeTexts().then(buildIndex);
      held = { version, index };
      index.catch(() => {
        if (held?.index === index) held = undefined;
      });
    }
    return held.index;
  }

  /** The best active articles for a question, best first, down to SHOWN. */
  async function match(question: string, limit = TOP): Promise<Answer[]> {
    const found = (await currentIndex()).match(question, limit).filter((m) => m.score >= SHOWN);
    const byId = new Map((await faq.findMany(found.map((m) => m.id))).map((a) => [a.id, a]));
    return found.flatMap((m) => {
      const a = byId.get(m.id);
      return a && a.active ? [{ faqId: a.id, question: a.question, answer: a.answer, score: m.score }] : [];
    });
  }

  async function article(id: number): Promise<Article> {
    const a = await faq.findById(id);
    if (!a) throw notFound('问题不存在');
    return a;
  }

  return {
    match,

    /** What customers browse: active articles of a category, or those matching a keyword (best first). */
    async browse(q: { keyword?: string; category?: string }): Promise<Article[]> {
      if (!q.keyword) return faq.list({ category: q.category, active: true });
      const answers = await match(q.keyword, 20);
      const byId = new Map((await faq.findMany(answers.map((a) => a.faqId))).map((a) => [a.id, a]));
      return answers.flatMap((a) => {
        const found = byId.get(a.faqId);
        return found && (!q.category || found.category === q.category) ? [found] : [];
      });
    },

    list: (f: ArticleFilter) => faq.list(f),

    // Each write also drops this instance's index at once: two edits within one millisecond leave
    // the fingerprint as it was, and this instance at least must answer from what it just saved.
    async create(input: CreateArticle): Promise<Article> {
      const id = await faq.insert(input, clock.now());
      held = undefined;
      return article(id);
    },

    async update(id: number, patch: PatchArticle): Promise<Article> {
      const found = await faq.update(id, patch, clock.now());
      held = undefined;
      if (!found) throw notFound('问题不存在');
      return article(id);
    },

    async remove(id: number): Promise<void> {
      const found = await faq.delete(id);
      held = undefined;
      if (!found) throw notFound('问题不存在');
    },

    async unanswered(q: PageQuery): Promise<Page<Unanswered>> {
      const { items, total } = await faq.unanswered(offsetOf(q), q.limit);
      return { items, total, page: q.page, limit: q.limit };
    },

    async dismissUnanswered(id: number): Promise<void> {
      if (!(await faq.deleteUnanswered(id))) throw notFound('记录不存在');
    },

    /** One vote per user per article: a second call changes the vote. Only active articles take votes. */
    async feedback(p: Principal, faqId: number, helpful: boolean) {
      const a = await faq.findById(faqId);
      if (!a || !a.active) throw notFound('问题不存在');
      await faq.vote(faqId, p.id, helpful, clock.now());
      const counted = (await faq.findById(faqId))!;
      return { faqId, helpful, helpfulCount: counted.helpfulCount, unhelpfulCount: counted.unhelpfulCount };
    },

    /**
     * A customer's (or electrician's) question in their customer-service conversation: stored as
     * their message (with chat's limits), answered by the bot with the best articles as a message
     * of its own (delivered to their socket like any other), and, when nothing answered it well,
     * collected for staff. A person is suggested when the answer is weak or the question asks for one.
     */
    async ask(p: Principal, question: string) {
      const conversation = await d.chat.serviceConversation(p);
      const questionMessage = await d.chat.send(p, { conversationId: conversation.id, type: 'text', content: question });
      const answers = await match(question);
      const answered = (answers[0]?.score ?? 0) >= ANSWERED;
      const suggestHuman = !answered || asksForPerson(question);
      if (!answered) {
        // Collected for staff to read: a mobile number typed into a question is masked first.
        const kept = question.replace(/1[3-9]\d{9}/g, (phone) => maskPhone(phone)!);
        const normalized = [...normalize(kept)].slice(0, 191).join('');
        if (normalized) await faq.recordUnanswered({ normalized, question: [...kept].slice(0, 500).join('') }, clock.now());
      }
      const message = await d.chat.post(conversation.id, {
        senderRole: 'bot',
        content: replyText(answers, suggestHuman),
        meta: { faqIds: answers.map((a) => a.faqId), suggestHuman },
      });
      return { answers, suggestHuman, message, questionMessage };
    },

    /**
     * The customer asks for a person: their conversation waits for an agent (chat writes the
     * system line and stages `customer_service.escalated`, from which `notifyAgents` runs); asking
     * again while waiting or while an agent has it changes nothing.
     */
    async escalate(p: Principal, reason: string | undefined) {
      const { conversation } = await d.chat.escalate(p, reason ?? null);
      return d.chat.viewFor(p, conversation.id);
    },

    /** Every agent (chat.service) hears of an escalation once (the system line's id keys it). */
    async notifyAgents(e: ServiceEscalated): Promise<void> {
      const agents = await d.staff.staffIdsWithRole(AGENT_ROLES);
      await d.messages.notify(
        agents.map((userId) => ({
          userId,
          type: 'system' as const,
          orderId: null,
          title: '客户请求人工客服',
          content: e.reason ? `客服会话 #${e.conversationId} 等待接待：${e.reason}` : `客服会话 #${e.conversationId} 等待接待`,
          sourceKey: `cs.escalated:${e.messageId}:${userId}`,
        })),
      );
    },

    /**
     * The conversation turns into a complaint about one of the caller's orders: opened through the
     * complaints module (its rules and errors: the customer's own completed order, within the
     * warranty, one open at a time), then linked from a system line in the conversation.
     */
    async complain(p: Principal, input: { orderId: number; type: ComplaintType; content: string; images?: number[] }) {
      const conversation = await d.chat.serviceConversation(p);
      const complaint = await d.complaints.open(p, input.orderId, {
        type: input.type,
        content: input.content,
        images: input.images,
      });
      const message: ChatMessageView = await d.chat.post(conversation.id, {
        senderRole: 'system',
        content: `已为工单 ${complaint.orderNo} 提交投诉（编号 ${complaint.id}），客服会尽快处理，结果会通过消息通知您。`,
        meta: { complaintId: complaint.id },
      });
      return {
        complaint: {
          id: complaint.id,
          orderId: complaint.orderId,
          orderNo: complaint.orderNo,
          type: complaint.type,
          status: complaint.status,
          level: complaint.level,
          createdAt: complaint.createdAt.toISOString(),
        },
        message,
      };
    },
  };
}

export type FaqService = ReturnType<typeof createFaqService>;
