import type { Knex } from 'knex';
import { isUniqueViolation, type Db } from '../../db';
import type { Principal } from '../../shared/auth';
import { hasPermission } from '../../shared/permissions';
import type { Clock } from '../../shared/clock';
import type { DomainBus, DomainEvent } from '../../shared/domain-events';
import { conflict, forbidden, notFound } from '../../shared/errors';
import { offsetOf, type Page, type PageQuery } from '../../shared/pagination';
import { maskName } from '../../shared/privacy';
import type { RatingPort } from '../electricians';
import type { FilesService } from '../files';
import type { ReviewOrdersPort } from '../orders';
import { avatarUrls, NO_AVATAR } from '../users';
import type { ReactionKind, ReviewsRepository, ReviewWithReviewer } from './reviews.repository';
import { REVIEW_TAGS, type AdminReviewsQuery, type CreateReviewBody, type ReviewView } from './reviews.schemas';

export interface ReviewsDeps {
  db: Db;
  reviews: ReviewsRepository;
  orders: ReviewOrdersPort;
  electricians: RatingPort;
  files: FilesService;
  bus: DomainBus;
  clock: Clock;
}

/** Who is looking at a review: the reviewer and staff see who wrote it; everyone else a masked name. */
type Audience = 'reviewer' | 'staff' | 'others';

const ANONYMOUS = '匿名用户';
const NO_NICKNAME = '微信用户';

/** Service, quality and speed (1–5) averaged to 2 decimals, in integer cents (no float drift). */
export const overallOf = (r: { serviceRating: number; qualityRating: number; speedRating: number }) =>
  Math.round(((r.serviceRating + r.qualityRating + r.speedRating) * 100) / 3) / 100;

export function createReviewsService(d: ReviewsDeps) {
  const { reviews, orders, electricians, clock } = d;

  const audienceOf = (p: Principal, r: ReviewWithReviewer): Audience =>
    hasPermission(p, 'reviews.moderate') ? 'staff' : p.id === r.userId ? 'reviewer' : 'others';

  /** An anonymous review shows others no avatar: it is not even signed. */
  const hidesReviewer = (r: ReviewWithReviewer, audience: Audience) => audience === 'others' && r.isAnonymous;

  function reviewer(r: ReviewWithReviewer, audience: Audience, avatarUrl: string | null): ReviewView['reviewer'] {
    if (audience !== 'others') return { userId: r.userId, nickname: r.reviewerNickname ?? NO_NICKNAME, avatarUrl };
    if (r.isAnonymous) return { userId: null, nickname: ANONYMOUS, avatarUrl: null };
    return { userId: null, nickname: maskName(r.reviewerNickname) ?? NO_NICKNAME, avatarUrl };
  }

  /** Views of several reviews, signing all their images in one query and all shown avatars in another. */
  async function views(rows: ReviewWithReviewer[], audience: (r: ReviewWithReviewer) => Audience): Promise<ReviewView[]> {
    const audiences = rows.map(audience);
    const [images, avatars] = await Promise.all([
      d.files.refs(rows.flatMap((r) => r.images)),
      avatarUrls(
        (ids) => d.files.refs(ids),
        rows.map((r, i) => (hidesReviewer(r, audiences[i]!) ? NO_AVATAR : r.reviewerAvatar)),
      ),
    ]);
    const refs = new Map(images.map((u) => [u.id, { id: u.id, url: u.url }]));
    return rows.map((r, i) => {
      const seenBy = audiences[i]!;
      return {
        id: r.id,
        orderId: r.orderId,
        electricianId: r.electricianId,
        reviewer: reviewer(r, seenBy, avatars[i]!),
        isAnonymous: r.isAnonymous,
        serviceRating: r.serviceRating,
        qualityRating: r.qualityRating,
        speedRating: r.speedRating,
        overallRating: r.overallRating,
        content: r.content,
        tags: r.tags,
        images: r.images.flatMap((id) => refs.get(id) ?? []),
        reply: r.replyContent !== null && r.repliedAt ? { content: r.replyContent, repliedAt: r.repliedAt.toISOString() } : null,
        helpfulCount: r.helpfulCount,
        reportCount: r.reportCount,
        status: r.status,
        hiddenReason: seenBy === 'staff' ? r.hiddenReason : null,
        createdAt: r.createdAt.toISOString(),
      };
    });
  }

  const view = async (p: Principal, r: ReviewWithReviewer) => (await views([r], () => audienceOf(p, r)))[0]!;

  async function existing(id: number): Promise<ReviewWithReviewer> {
    const r = await reviews.findById(id);
    if (!r) throw notFound('评价不存在');
    return r;
  }

  /** Recomputes the electrician's rating from their visible reviews and stores it, in the review's transaction. */
  async function recomputeRating(electricianId: number, now: Date, trx: Knex.Transaction): Promise<void> {
    await electricians.setRating(electricianId, await reviews.ratingOf(electricianId, trx), now, trx);
  }

  async function electricianUserId(electricianId: number): Promise<number> {
    return (await electricians.findById(electricianId))!.userId;
  }

  /** Hides or shows a review and recomputes the electrician's rating in the same transaction. */
  async function moderate(
    r: ReviewWithReviewer,
    hidden: { reason: string; by: number } | null,
    event?: DomainEvent,
  ): Promise<boolean> {
    const now = clock.now();
    return d.db.transaction(async (trx: Knex.Transaction) => {
      await electricians.lockForRating(r.electricianId, now, trx);
      const changed = await reviews.setStatus(r.id, hidden ? 'hidden' : 'normal', hidden, now, trx);
      if (changed) await recomputeRating(r.electricianId, now, trx);
      if (changed && event) await d.bus.stage(trx, event);
      return changed;
    });
  }

  return {
    tags: () => [...REVIEW_TAGS],

    /**
     * The customer reviews their completed, paid order, once. The order row is locked first (and
     * checked again in the same statement), then the electrician's: the same order as the order
     * transitions, so the two cannot deadlock; the unique order_id turns a racing second submission
     * into ALREADY_REVIEWED.
     */
    async create(p: Principal, orderId: number, input: CreateReviewBody): Promise<ReviewView> {
      const order = await orders.findById(orderId);
      if (!order || order.userId !== p.id) throw notFound('工单不存在');
      if (order.status !== 'completed' || order.electricianId === null)
        throw conflict('INVALID_TRANSITION', '工单完成后才能评价');
      if (order.paymentStatus === 'unpaid') throw conflict('INVALID_TRANSITION', '工单支付后才能评价');
      if (await reviews.findByOrder(orderId)) throw conflict('ALREADY_REVIEWED', '该工单已评价');
      const electricianId = order.electricianId;

      const overallRating = overallOf(input);
      const electricianUser = await electricianUserId(electricianId);
      const now = clock.now();
      const id = await d.db.transaction(async (trx) => {
        const locked = await orders.rate(
          order.id,
          { customerId: p.id, paymentStatus: order.paymentStatus },
          overallRating,
          now,
          trx,
        );
        if (!locked) throw conflict('INVALID_TRANSITION', '工单状态已变化，请刷新后重试');
        await electricians.lockForRating(electricianId, now, trx);
        let id: number;
        try {
          id = await reviews.insert(
            {
              orderId: order.id,
              userId: p.id,
              electricianId,
              serviceRating: input.serviceRating,
              qualityRating: input.qualityRating,
              speedRating: input.speedRating,
              overallRating,
              content: input.content ?? null,
              tags: input.tags,
              images: input.images,
              isAnonymous: input.isAnonymous,
            },
            now,
            trx,
          );
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('ALREADY_REVIEWED', '该工单已评价');
          throw err;
        }
        await d.files.attach(p.id, input.images, 'review', { type: 'review', id }, trx);
        await recomputeRating(electricianId, now, trx);
        await d.bus.stage(trx, {
          name: 'review.created',
          reviewId: id,
          orderId: order.id,
          orderNo: order.orderNo,
          customerId: p.id,
          electricianId,
          electricianUserId: electricianUser,
          overallRating,
          at: now,
        });
        return id;
      });
      return view(p, (await reviews.findById(id))!);
    },

    /** The order's review, for its customer, its electrician and staff; 404 for anyone else or when none. */
    async forOrder(p: Principal, orderId: number): Promise<ReviewView> {
      const order = await orders.findById(orderId);
      if (!order) throw notFound('工单不存在');
      const party =
        hasPermission(p, 'orders.read') ||
        order.userId === p.id ||
        (order.electricianId !== null && (await electricians.findByUserId(p.id))?.id === order.electricianId);
      if (!party) throw notFound('工单不存在');
      const r = await reviews.findByOrder(orderId);
      if (!r) throw notFound('该工单还没有评价');
      return view(p, r);
    },

    /** An approved electrician's visible reviews, newest first; reviewers masked. */
    async listForElectrician(electricianId: number, q: PageQuery): Promise<Page<ReviewView>> {
      const e = await electricians.findById(electricianId);
      if (!e || e.verificationStatus !== 'approved') throw notFound('电工不存在');
      const { items, total } = await reviews.list({ electricianId, status: 'normal', offset: offsetOf(q), limit: q.limit });
      return { items: await views(items, () => 'others'), total, page: q.page, limit: q.limit };
    },

    async adminList(q: AdminReviewsQuery): Promise<Page<ReviewView>> {
      const { items, total } = await reviews.list({
        electricianId: q.electricianId,
        status: q.status,
        reportedOnly: q.reportedOnly,
        offset: offsetOf(q),
        limit: q.limit,
      });
      return { items: await views(items, () => 'staff'), total, page: q.page, limit: q.limit };
    },

    /** The order's electrician replies, once. */
    async reply(p: Principal, reviewId: number, content: string): Promise<ReviewView> {
      const r = await existing(reviewId);
      const me = await electricians.findByUserId(p.id);
      if (!me || me.id !== r.electricianId) throw forbidden('只有该工单的电工可以回复评价');
      const now = clock.now();
      await d.db.transaction(async (trx) => {
        if (!(await reviews.reply(r.id, content, now, trx))) throw conflict('ALREADY_REPLIED', '已回复过该评价');
        await d.bus.stage(trx, {
          name: 'review.replied',
          reviewId: r.id,
          orderId: r.orderId,
          customerId: r.userId,
          electricianUserId: p.id,
          at: now,
        });
      });
      return view(p, (await reviews.findById(r.id))!);
    },

    /** Marks a visible review helpful or reports it, once per user and kind; a repeat changes nothing. */
    async react(p: Principal, reviewId: number, kind: ReactionKind, reason: string | undefined) {
      const now = clock.now();
      const created = await d.db.transaction(async (trx) => {
        if (!(await reviews.lockVisible(reviewId, now, trx))) throw notFound('评价不存在');
        return reviews.react(reviewId, p.id, kind, reason ?? null, now, trx);
      });
      const r = (await reviews.findById(reviewId))!;
      return { reviewId, kind, created, helpfulCount: r.helpfulCount, reportCount: r.reportCount };
    },

    /** Staff hide a review with a reason; it stops counting towards the rating. Hiding twice is harmless. */
    async hide(actor: Principal, reviewId: number, reason: string): Promise<ReviewView> {
      const r = await existing(reviewId);
      await moderate(
        r,
        { reason, by: actor.id },
        {
          name: 'review.hidden',
          reviewId: r.id,
          orderId: r.orderId,
          customerId: r.userId,
          electricianUserId: await electricianUserId(r.electricianId),
          reason,
          actor: { id: actor.id, role: 'admin' },
          at: clock.now(),
        },
      );
      return view(actor, (await reviews.findById(r.id))!);
    },

    /** Staff show a hidden review again; it counts towards the rating again. */
    async unhide(actor: Principal, reviewId: number): Promise<ReviewView> {
      const r = await existing(reviewId);
      await moderate(r, null);
      return view(actor, (await reviews.findById(r.id))!);
    },
  };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
