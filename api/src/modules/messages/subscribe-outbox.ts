import type { Knex } from 'knex';
import type { SubscribeTemplateKey, SubscribeTemplates, SubscribeVariable } from '../../config';
import type { WechatClient } from '../../integrations/wechat/wechat';
import { MINUTE, type Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { UserReader } from '../users';
import type { MessagesRepository, OutboxRow } from './messages.repository';

/** A subscribe message to send with a notification, if the recipient granted its template. */
export interface SubscribeDraft {
  key: SubscribeTemplateKey;
  orderId: number | null;
  vars: Partial<Record<SubscribeVariable, string>>;
}

/** WeChat: the user has no grant (left) for the template. Dropped quietly, like the grant. */
export const NOT_SUBSCRIBED = 43101;
/** Errors a retry cannot mend (invalid openid, template, arguments or page): given up at once. */
const PERMANENT = new Set([40003, 40037, 41030, 47003]);
export const MAX_ATTEMPTS = 6;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * MINUTE;

/** Waiting time before attempt `attempt + 1`: 30 s, 1 min, 2 min, … at most an hour. */
export const backoffMs = (attempt: number) => Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS);

/** WeChat's value limits per field kind (thing: 20 characters, …); longer values are refused. */
const FIELD_LIMITS: [RegExp, number][] = [
  [/^thing\d+$/, 20],
  [/^character_string\d+$/, 32],
  [/^phrase\d+$/, 5],
  [/^name\d+$/, 10],
  [/^number\d+$/, 32],
  [/^amount\d+$/, 20],
  [/^time\d+$/, 20],
];

function fieldValue(field: string, value: string | undefined): string {
  const text = value && value.trim() !== '' ? value : '-';
  const limit = FIELD_LIMITS.find(([re]) => re.test(field))?.[1];
  const chars = [...text];
  return limit !== undefined && chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : text;
}

export interface OutboxDeps {
  messages: MessagesRepository;
  /** The recipient's openid, from the users module. */
  users: UserReader;
  wechat: WechatClient;
  templates: SubscribeTemplates;
  clock: Clock;
  logger: Logger;
}

/**
 * Subscribe messages through a database outbox: enqueued in the transaction that writes the
 * notification (only while the user holds a grant for the template), sent after the commit and
 * retried by a job with backoff. A send takes one grant; 43101 drops the message and the grant.
 */
export function createSubscribeOutbox(d: OutboxDeps) {
  const { messages, clock, logger } = d;

  async function attempt(row: OutboxRow): Promise<boolean> {
    const now = clock.now();
    if (!(await messages.claim(row, new Date(now.getTime() + backoffMs(row.attempts + 1)), now))) return false;
    if (!(await messages.consumeGrant(row.userId, row.templateId, now))) {
      await messages.settle(row.id, 'dropped', 'no grant left', now);
      return true;
    }
    const openid = (await d.users.findById(row.userId))?.openid;
    let failure: string;
    let permanent = false;
    try {
      const reply = await d.wechat.sendSubscribeMessage({
        touser: openid ?? '',
        templateId: row.templateId,
        page: row.payload.page,
        data: row.payload.data,
      });
      if (reply.errcode === 0) {
        await messages.settle(row.id, 'sent', null, clock.now());
        return true;
      }
      if (reply.errcode === NOT_SUBSCRIBED) {
        logger.info(
          { outboxId: row.id, userId: row.userId, templateId: row.templateId },
          'subscribe message not accepted by the user',
        );
        await messages.dropGrants(row.userId, row.templateId, clock.now());
        await messages.settle(row.id, 'dropped', `${reply.errcode} ${reply.errmsg}`, clock.now());
        return true;
      }
      failure = `${reply.errcode} ${reply.errmsg}`;
      permanent = PERMANENT.has(reply.errcode);
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    // Not delivered: the grant is still the user's; the claim already scheduled the next attempt.
    await messages.returnGrant(row.userId, row.templateId, clock.now());
    const gaveUp = permanent || row.attempts + 1 >= MAX_ATTEMPTS;
    logger.warn({ outboxId: row.id, attempt: row.attempts + 1, failure, gaveUp }, 'subscribe message failed');
    await messages.settle(row.id, gaveUp ? 'failed' : 'pending', failure, clock.now());
    return true;
  }

  return {
    /** Enqueues the message for `userId` inside the notification's transaction, if configured and granted. */
    async enqueue(userId: number, draft: SubscribeDraft, sourceKey: string, now: Date, trx: Knex.Transaction) {
      const template = d.templates[draft.key];
      if (!template) return undefined;
      const grants = await messages.grants(userId, trx);
      if (!((grants[template.templateId] ?? 0) > 0)) return undefined;
      const page = template.page?.replaceAll('{orderId}', draft.orderId === null ? '' : String(draft.orderId));
      const data = Object.fromEntries(
        Object.entries(template.fields).map(([field, variable]) => [field, fieldValue(field, draft.vars[variable])]),
      );
      return messages.enqueue(
        {
          userId,
          templateKey: draft.key,
          templateId: template.templateId,
          payload: { ...(page ? { page } : {}), data },
          sourceKey,
        },
        now,
        trx,
      );
    },

    /** Sends what is due (or just `ids`, right after they were enqueued); returns how many were attempted. */
    async deliver(ids?: number[], limit = 50): Promise<number> {
      if (ids?.length === 0) return 0;
      let attempted = 0;
      for (const row of await messages.due(clock.now(), limit, ids)) if (await attempt(row)) attempted++;
      return attempted;
    },
  };
}

export type SubscribeOutbox = ReturnType<typeof createSubscribeOutbox>;
