/**
 * Five stars, for rating (evaluate) and for showing a rating (reviews, the reviewed order):
 *   <rating-stars value="{{rating.value}}" data-index="{{ri}}" bind:change="onRate" />
 *   <rating-stars value="{{item.overall}}" readonly size="28rpx" />
 * `change` carries the chosen star count as `detail.value`. Read-only stars show halves (4.5).
 */
Component({
  properties: {
    value: { type: Number, value: 0 },
    readonly: { type: Boolean, value: false },
    /** One star's size; the gap between stars is half of it. */
    size: { type: String, value: '52rpx' },
  },
  data: { label: '' },
  observers: {
    value(value: number) {
      this.setData({ label: `${value} 星` });
    },
  },
  methods: {
    onChange(e: { detail: number }): void {
      this.triggerEvent('change', { value: Number(e.detail) });
    },
  },
});
