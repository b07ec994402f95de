import { isUniqueViolation } from '../../db';
import type { Clock } from '../../shared/clock';
import { conflict, notFound, validationFailed } from '../../shared/errors';
import type { CatalogFilter, CatalogItem, CatalogRepository } from './catalog.repository';
import type { CreateCatalogItem, PatchCatalogItem } from './inventory.schemas';

const codeTaken = () => conflict('CATALOG_CODE_EXISTS', '该编码已被其他项目使用');

/** The price list: customers and electricians read its active items; staff with catalog.manage keep it. */
export function createCatalogService(d: { catalog: CatalogRepository; clock: Clock }) {
  const { catalog, clock } = d;
  return {
    /** What customers see before ordering and electricians quote from: active items only. */
    async active(f: Omit<CatalogFilter, 'active'>): Promise<CatalogItem[]> {
      return catalog.list({ ...f, active: true });
    },

    async list(f: CatalogFilter): Promise<CatalogItem[]> {
      return catalog.list(f);
    },

    async create(input: CreateCatalogItem): Promise<CatalogItem> {
      try {
        return (await catalog.findById(await catalog.insert(input, clock.now())))!;
      } catch (err) {
        if (isUniqueViolation(err)) throw codeTaken();
        throw err;
      }
    },

    /** A change of any field; the price order (max ≥ standard) is checked against the stored values too. */
    async update(id: number, patch: PatchCatalogItem): Promise<CatalogItem> {
      const current = await catalog.findById(id);
      if (!current) throw notFound('价目表项目不存在');
      const standardPrice = patch.standardPrice ?? current.standardPrice;
      const maxPrice = patch.maxPrice ?? current.maxPrice;
      if (maxPrice < standardPrice)
        throw validationFailed([
          { path: ['body', 'maxPrice'], message: `最高价（${maxPrice} 分）不能低于标准价（${standardPrice} 分）` },
        ]);
      try {
        await catalog.update(id, patch, clock.now());
      } catch (err) {
        if (isUniqueViolation(err)) throw codeTaken();
        throw err;
      }
      return (await catalog.findById(id))!;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
