/**
 * The one loading / empty / error block of every page and list (instead of a copy per page):
 *   <state-view state="loading" skeleton="list" />
 *   <state-view state="empty" icon="orders-o" message="暂无订单" action-text="去下单" bind:action="…" />
 *   <state-view state="error" message="{{error}}" bind:retry="load" />
 * Loading shows a skeleton shaped like what is coming (list rows, a detail card or a form) with
 * 加载中… for screen readers; empty an icon, the text and an optional action; error the message, an
 * optional action (e.g. 去设置) and 重试.
 */
export type StateViewState = 'loading' | 'empty' | 'error';
export type SkeletonShape = 'list' | 'detail' | 'form';

Component({
  properties: {
    state: { type: String, value: 'loading' },
    /** The skeleton's shape while loading. */
    skeleton: { type: String, value: 'list' },
    /** How many rows (list) or lines (detail, form) the skeleton shows. */
    rows: { type: Number, value: 3 },
    /** The empty text or the error message. */
    message: { type: String, value: '' },
    /** The empty state's icon (a Vant icon name). */
    icon: { type: String, value: 'description' },
    /** An optional action: the empty state's call to action, or a second way out of an error. */
    actionText: { type: String, value: '' },
    retryText: { type: String, value: '重试' },
  },
  data: { items: [0, 1, 2] as number[] },
  observers: {
    rows(rows: number) {
      this.setData({ items: Array.from({ length: Math.max(1, rows) }, (_, i) => i) });
    },
  },
  methods: {
    onRetry(): void {
      this.triggerEvent('retry');
    },
    onAction(): void {
      this.triggerEvent('action');
    },
  },
});
