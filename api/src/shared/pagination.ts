import { z } from 'zod';

export const paginationQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type PageQuery = z.infer<typeof paginationQuery>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export const offsetOf = (q: PageQuery) => (q.page - 1) * q.limit;
