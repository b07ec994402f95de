import type { Knex } from 'knex';
import { insertId, type Db } from '../../db';
import { fromJson, toBool, toDate, whereContains } from '../../shared/rows';

export interface Article {
  id: number;
  category: string;
  question: string;
  answer: string;
  keywords: string[];
  active: boolean;
  helpfulCount: number;
  unhelpfulCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewArticle = Pick<Article, 'category' | 'question' | 'answer' | 'keywords' | 'active'>;
export type ArticlePatch = Partial<NewArticle>;

export interface ArticleFilter {
  keyword?: string;
  category?: string;
  active?: boolean;
}

export interface Unanswered {
  id: number;
  question: string;
  normalized: string;
  count: number;
  firstAskedAt: Date;
  lastAskedAt: Date;
}

type Conn = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

const COLUMNS: Record<keyof NewArticle, string> = {
  category: 'category',
  question: 'question',
  answer: 'answer',
  keywords: 'keywords',
  active: 'active',
};

function mapArticle(r: Row): Article {
  return {
    id: Number(r.id),
    category: String(r.category),
    question: String(r.question),
    answer: String(r.answer),
    keywords: fromJson<string[]>(r.keywords, []),
    active: toBool(r.active),
    helpfulCount: Number(r.helpful_count ?? 0),
    unhelpfulCount: Number(r.unhelpful_count ?? 0),
    createdAt: toDate(r.created_at)!,
    updatedAt: toDate(r.updated_at)!,
  };
}

const mapUnanswered = (r: Row): Unanswered => ({
  id: Number(r.id),
  question: String(r.question),
  normalized: String(r.normalized),
  count: Number(r.ask_count),
  firstAskedAt: toDate(r.first_asked_at)!,
  lastAskedAt: toDate(r.last_asked_at)!,
});

function toRow(a: ArticlePatch): Row {
  const row: Row = {};
  for (const [key, column] of Object.entries(COLUMNS) as [keyof NewArticle, string][]) {
    const value = a[key];
    if (value === undefined) continue;
    row[column] = key === 'keywords' ? JSON.stringify(value) : value;
  }
  return row;
}

export function createFaqRepository(db: Db) {
  /** Articles with their votes counted from the feedback rows (one per user), so the counts cannot drift. */
  const articles = (conn: Conn = db) =>
    conn('faq_articles as a').select(
      'a.*',
      conn.raw('(select count(*) from faq_feedback f where f.faq_id = a.id and f.helpful = 1) as helpful_count'),
      conn.raw('(select count(*) from faq_feedback f where f.faq_id = a.id and f.helpful = 0) as unhelpful_count'),
    );

  return {
    async list(f: ArticleFilter): Promise<Article[]> {
      const rows = await articles()
        .modify((q) => {
          if (f.category) q.where('a.category', f.category);
          if (f.active !== undefined) q.where('a.active', f.active ? 1 : 0);
          if (f.keyword) whereContains(q, ['a.question', 'a.answer', 'a.keywords'], f.keyword);
        })
        .orderBy('a.category')
        .orderBy('a.id');
      return (rows as Row[]).map(mapArticle);
    },

    async findById(id: number, trx: Conn = db): Promise<Article | undefined> {
      const r = await articles(trx).where('a.id', id).first();
      return r ? mapArticle(r as Row) : undefined;
    },

    async findMany(ids: readonly number[]): Promise<Article[]> {
      if (ids.length === 0) return [];
      return ((await articles().whereIn('a.id', [...ids])) as Row[]).map(mapArticle);
    },

    /** What the search index is built from: the active articles' text. */
    async activeTexts(): Promise<{ id: number; question: string; answer: string; keywords: string[] }[]> {
      const rows = (await db('faq_articles').where({ active: 1 }).select('id', 'question', 'answer', 'keywords')) as Row[];
      return rows.map((r) => ({
        id: Number(r.id),
        question: String(r.question),
        answer: String(r.answer),
        keywords: fromJson<string[]>(r.keywords, []),
      }));
    },

    /**
     * A fingerprint of the knowledge base: every write moves the newest updated_at or the row count
     * (a deletion), so an instance that sees a different one rebuilds its index.
     */
    async version(): Promise<string> {
      const r = (await db('faq_articles').count({ n: '*' }).max({ m: 'updated_at' }).first()) as Row | undefined;
      return `${Number(r?.n ?? 0)}:${toDate(r?.m ?? null)?.getTime() ?? 0}`;
    },

    async insert(a: NewArticle, now: Date): Promise<number> {
      return insertId(db, 'faq_articles', { ...toRow(a), created_at: now, updated_at: now });
    },

    async update(id: number, patch: ArticlePatch, now: Date): Promise<boolean> {
      return (
        (await db('faq_articles')
          .where({ id })
          .update({ ...toRow(patch), updated_at: now })) > 0
      );
    },

    async delete(id: number): Promise<boolean> {
      return db.transaction(async (trx) => {
        await trx('faq_feedback').where({ faq_id: id }).delete();
        return (await trx('faq_articles').where({ id }).delete()) > 0;
      });
    },

    /** A user's vote on an article: the first inserts it, later ones replace it. */
    async vote(faqId: number, userId: number, helpful: boolean, now: Date): Promise<void> {
      await db('faq_feedback')
        .insert({ faq_id: faqId, user_id: userId, helpful, created_at: now, updated_at: now })
        .onConflict(['faq_id', 'user_id'])
        .merge(['helpful', 'updated_at']);
    },

    /** One more asking of a question no article answered (its latest wording kept). */
    async recordUnanswered(q: { normalized: string; question: string }, now: Date): Promise<void> {
      await db('faq_unanswered')
        .insert({ normalized: q.normalized, question: q.question, ask_count: 1, first_asked_at: now, last_asked_at: now })
        .onConflict('normalized')
        .merge({ ask_count: db.raw('ask_count + 1'), question: q.question, last_asked_at: now });
    },

    /** Most asked first, then most recently asked. */
    async unanswered(offset: number, limit: number): Promise<{ items: Unanswered[]; total: number }> {
      const [rows, total] = await Promise.all([
        db('faq_unanswered')
          .orderBy('ask_count', 'desc')
          .orderBy('last_asked_at', 'desc')
          .orderBy('id')
          .offset(offset)
          .limit(limit),
        db('faq_unanswered').count({ n: '*' }).first(),
      ]);
      return { items: (rows as Row[]).map(mapUnanswered), total: Number(total?.n ?? 0) };
    },

    async deleteUnanswered(id: number): Promise<boolean> {
      return (await db('faq_unanswered').where({ id }).delete()) > 0;
    },
  };
}

export type FaqRepository = ReturnType<typeof createFaqRepository>;
