import { ref, type Ref } from 'vue';
import type { Paged, Pagination } from '../api/types';
import { run } from '../format';

/**
 * One paged list of the console: its rows, its pagination, whether a page is loading, and `load`,
 * which fetches a page (the current one by default) through `fetch` with the view's filters. A
 * failure is shown as a message and keeps the rows already on screen.
 */
export function usePagedList<T>(fetch: (page: { page: number; limit: number }) => Promise<Paged<T>>, limit = 20) {
  const rows = ref([]) as Ref<T[]>;
  const pagination = ref<Pagination>({ page: 1, limit, total: 0 });
  const loading = ref(false);
  async function load(page = pagination.value.page): Promise<void> {
    loading.value = true;
    try {
      await run(async () => {
        const r = await fetch({ page, limit: pagination.value.limit });
        rows.value = r.items;
        pagination.value = r.pagination;
      });
    } finally {
      loading.value = false;
    }
  }
  return { rows, pagination, loading, load };
}
