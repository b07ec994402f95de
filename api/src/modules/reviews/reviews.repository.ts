import type { Knex } from 'knex';
import { insertId, isUniqueViolation, type Db } from '../../db';
import { fromJson, toBool, toDate } from '../../shared/rows';
import { NO_AVATAR, type AvatarSource, type UserProfile, type UserProfiles } from '../users';
import type { ReviewTag } from './reviews.schemas';

export type ReviewStatus = 'normal' | 'hidden';
export type ReactionKind = 'helpful' | 'report';

export interface Review {
  id: number;
  orderId: number;
  userId: number;
  electricianId: number;
  serviceRating: number;
  qualityRating: number;
  speedRating: number;
  overallRating: number;
  content: string | null;
  tags: ReviewTag[];
  images: number[];
  isAnonymous: boolean;
  replyContent: string | null;
  repliedAt: Date | null;
  helpfulCount: number;
  reportCount: number;
  status: ReviewStatus;
  hiddenReason: string | null;
  hiddenAt: Date | null;
  hiddenBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A review with what its reviewer looks like (the view decides how much of it to show). */
export interface ReviewWithReviewer extends Review {
  reviewerNickname: string | null;
  /** The reviewer's avatar, a plain URL or an upload; the service signs it if it is shown. */
  reviewerAvatar: AvatarSource;
}

export interface NewReview {
  orderId: number;
  userId: number;
  electricianId: number;
  serviceRating: number;
  qualityRating: number;
  speedRating: number;
  overallRating: number;
  content: string | null;
  tags: ReviewTag[];
  images: number[];
  isAnonymous: boolean;
}

export interface ReviewFilter {
  electricianId?: number;
  status?: ReviewStatus;
  reportedOnly?: boolean;
  offset: number;
  limit: number;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The electrician's rating when no visible review is left (the column default). */
export const DEFAULT_RATING = 5;

function mapReview(r: Row, reviewer: UserProfile | undefined): ReviewWithReviewer {
  return {
    id: Number(r.id),
    orderId: Number(r.order_id),
    userId: Number(r.user_id),
    electricianId: Number(r.electrician_id),
    serviceRating: Number(r.service_rating),
    qualityRating: Number(r.quality_rating),
    speedRating: Number(r.speed_rating),
    overallRating: Number(r.overall_rating),
    content: str(r.content),
    tags: fromJson<ReviewTag[]>(r.tags, []),
    images: fromJson<number[]>(r.images, []),
    isAnonymous: toBool(r.is_anonymous),
    replyContent: str(r.reply_content),
    repliedAt: toDate(r.replied_at),
    helpfulCount: Number(r.helpful_count),
    reportCount: Number(r.report_count),
    status: r.status as ReviewStatus,
    hiddenReason: str(r.hidden_reason),
    hiddenAt: toDate(r.hidden_at),
    hiddenBy: num(r.hidden_by),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
    reviewerNickname: reviewer?.nickname ?? null,
    reviewerAvatar: reviewer ? { avatar: reviewer.avatar, avatarUploadId: reviewer.avatarUploadId } : NO_AVATAR,
  };
}

/**
 * The mean of `cents` over `count`, rounded half up to 2 decimals, in integer arithmetic so that
 * SQLite (floats) and MySQL (decimals) agree to the cent.
 */
export function meanOfCents(cents: number, count: number): number {
  return Math.round(cents / count) / 100;
}

/** `accounts`: the users module's profiles (what the reviewer looks like). */
export function createReviewsRepository(db: Db, accounts: UserProfiles) {
  /** Reviews with their reviewers: one query for the reviewers of the whole list. */
  async function withReviewers(rows: Row[], trx: Conn = db): Promise<ReviewWithReviewer[]> {
    const reviewers = await accounts.profiles(
      rows.map((r) => Number(r.user_id)),
      trx,
    );
    return rows.map((r) => mapReview(r, reviewers.get(Number(r.user_id))));
  }
  const one = async (r: Row | undefined, trx: Conn) => (r ? (await withReviewers([r], trx))[0] : undefined);

  const filtered = (q: Knex.QueryBuilder, f: Omit<ReviewFilter, 'offset' | 'limit'>) => {
    if (f.electricianId !== undefined) q.where('reviews.electrician_id', f.electricianId);
    if (f.status !== undefined) q.where('reviews.status', f.status);
    if (f.reportedOnly) q.where('reviews.report_count', '>', 0);
    return q;
  };

  return {
    async findById(id: number, trx: Conn = db): Promise<ReviewWithReviewer | undefined> {
      return one(await trx('reviews').where({ id }).first(), trx);
    },

    async findByOrder(orderId: number, trx: Conn = db): Promise<ReviewWithReviewer | undefined> {
      return one(await trx('reviews').where({ order_id: orderId }).first(), trx);
    },

    /** Throws a unique violation when the order already has a review. */
    async insert(r: NewReview, now: Date, trx: Conn): Promise<number> {
      return insertId(trx, 'reviews', {
        order_id: r.orderId,
        user_id: r.userId,
        electrician_id: r.electricianId,
        service_rating: r.serviceRating,
        quality_rating: r.qualityRating,
        speed_rating: r.speedRating,
        overall_rating: r.overallRating,
        content: r.content,
        tags: JSON.stringify(r.tags),
        images: JSON.stringify(r.images),
        is_anonymous: r.isAnonymous,
        status: 'normal',
        created_at: now,
        updated_at: now,
      });
    },

    /** Newest first (id breaks ties of the same millisecond). */
    async list(f: ReviewFilter): Promise<{ items: ReviewWithReviewer[]; total: number }> {
      const [rows, total] = await Promise.all([
        filtered(db('reviews'), f)
          .orderBy('reviews.created_at', 'desc')
          .orderBy('reviews.id', 'desc')
          .offset(f.offset)
          .limit(f.limit),
        filtered(db('reviews'), f).count({ n: '*' }).first(),
      ]);
      return { items: await withReviewers(rows as Row[]), total: Number(total?.n ?? 0) };
    },

    /** Sets the reply unless there is one already; true when this call set it. */
    async reply(id: number, content: string, now: Date, trx: Conn = db): Promise<boolean> {
      const n = await trx('reviews')
        .where({ id })
        .whereNull('reply_content')
        .update({ reply_content: content, replied_at: now, updated_at: now });
      return n > 0;
    },

    /** Moves a review between normal and hidden; true when this call moved it. */
    async setStatus(
      id: number,
      to: ReviewStatus,
      hidden: { reason: string; by: number } | null,
      now: Date,
      trx: Conn,
    ): Promise<boolean> {
      const n = await trx('reviews')
        .where({ id, status: to === 'hidden' ? 'normal' : 'hidden' })
        .update({
          status: to,
          hidden_reason: hidden?.reason ?? null,
          hidden_by: hidden?.by ?? null,
          hidden_at: hidden ? now : null,
          updated_at: now,
        });
      return n > 0;
    },

    /**
     * Locks a visible review's row before its reactions change (true when it is there and visible).
     * Taking the row's exclusive lock first queues concurrent reactions: inserting the reaction first
     * would have each take a shared lock through the foreign key and then deadlock upgrading it.
     */
    async lockVisible(id: number, now: Date, trx: Knex.Transaction): Promise<boolean> {
      const n = await trx('reviews').where({ id, status: 'normal' }).update({ updated_at: now });
      return n > 0;
    },

    /** Adds the user's reaction and bumps its counter; false (and nothing changed) when it was there already. */
    async react(
      reviewId: number,
      userId: number,
      kind: ReactionKind,
      reason: string | null,
      now: Date,
      trx: Knex.Transaction,
    ): Promise<boolean> {
      try {
        await trx('review_reactions').insert({ review_id: reviewId, user_id: userId, kind, reason, created_at: now });
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
      const counter = kind === 'helpful' ? 'helpful_count' : 'report_count';
      await trx('reviews').where({ id: reviewId }).increment(counter, 1);
      return true;
    },

    /**
     * The electrician's rating (mean of the overall ratings of their visible reviews, DEFAULT_RATING
     * when none is left) and rating count. Read inside the transaction that changed the reviews,
     * after the electricians module locked the electrician's row, and stored through it.
     */
    async ratingOf(electricianId: number, trx: Knex.Transaction): Promise<{ rating: number; count: number }> {
      const agg = await trx('reviews')
        .where({ electrician_id: electricianId, status: 'normal' })
        .sum({ total: 'overall_rating' })
        .count({ n: '*' })
        .first();
      const count = Number(agg?.n ?? 0);
      const rating = count > 0 ? meanOfCents(Math.round(Number(agg?.total ?? 0) * 100), count) : DEFAULT_RATING;
      return { rating, count };
    },

    /** A deleted account's reviews stay (they count in ratings) but no longer name their author. */
    async anonymiseAuthor(userId: number, now: Date, trx: Conn): Promise<number> {
      return trx('reviews').where({ user_id: userId }).update({ is_anonymous: true, updated_at: now });
    },
  };
}

export type ReviewsRepository = ReturnType<typeof createReviewsRepository>;
