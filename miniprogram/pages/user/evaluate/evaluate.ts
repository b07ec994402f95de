import { orderDetail } from '../../../services/orders';
import { ApiError } from '../../../services/request';
import { createReview, orderReview, reviewTags, type Review } from '../../../services/reviews';
import { photoHandlers, type Photo } from '../../../utils/photo-picker';

const MAX_PHOTOS = 9;
const RATING_TEXT = ['', '很差', '较差', '一般', '满意', '非常满意'];

type RatingKey = 'serviceRating' | 'qualityRating' | 'speedRating';

function reviewedView(r: Review) {
  return {
    overall: r.overallRating,
    overallText: r.overallRating.toFixed(1),
    content: r.content ?? '',
    tags: r.tags.join('、'),
  };
}

Component({
  data: {
    orderId: 0,
    loading: true,
    error: '',
    title: '',
    electricianName: '',
    ratings: [
      { key: 'serviceRating', label: '服务态度', value: 5, text: RATING_TEXT[5] },
      { key: 'qualityRating', label: '维修质量', value: 5, text: RATING_TEXT[5] },
      { key: 'speedRating', label: '上门速度', value: 5, text: RATING_TEXT[5] },
    ] as { key: RatingKey; label: string; value: number; text: string }[],
    tags: [] as { name: string; selected: boolean }[],
    content: '',
    photos: [] as Photo[],
    maxPhotos: MAX_PHOTOS,
    uploading: false,
    anonymous: false,
    submitting: false,
    formError: '',
    reviewed: null as ReturnType<typeof reviewedView> | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ orderId: Number(query.orderId) || 0 });
    },
    onShow(): void {
      if (!this.data.reviewed && !this.data.submitting) void this.load();
    },
    async load(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const [order, tags] = await Promise.all([orderDetail(this.data.orderId), reviewTags()]);
        let existing: Review | null = null;
        try {
          existing = await orderReview(order.id, { silent: true });
        } catch (err) {
          if (!(err instanceof ApiError && err.code === 'NOT_FOUND')) throw err;
        }
        this.setData({
          loading: false,
          title: order.title,
          electricianName: order.electrician?.name ?? '',
          tags: tags.map((name) => ({ name, selected: false })),
          reviewed: existing && reviewedView(existing),
        });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    /** A rating's stars changed (components/rating-stars: the count in detail.value). */
    onRate(e: WechatMiniprogram.CustomEvent<{ value: number }>): void {
      const index = Number(e.currentTarget.dataset.index);
      const { value } = e.detail;
      this.setData({ [`ratings[${index}].value`]: Number(value), [`ratings[${index}].text`]: RATING_TEXT[Number(value)] });
    },
    onToggleTag(e: WechatMiniprogram.BaseEvent): void {
      const index = Number(e.currentTarget.dataset.index);
      this.setData({ [`tags[${index}].selected`]: !this.data.tags[index].selected });
    },
    onContentInput(e: WechatMiniprogram.Input): void {
      this.setData({ content: e.detail.value, formError: '' });
    },
    onAnonymousChange(e: WechatMiniprogram.SwitchChange): void {
      this.setData({ anonymous: e.detail.value });
    },
    ...photoHandlers('review'),
    async onSubmit(): Promise<void> {
      const d = this.data;
      if (d.submitting || d.uploading) return;
      const content = d.content.trim();
      if (content.length > 500) {
        this.setData({ formError: '评价内容不能超过 500 字' });
        return;
      }
      const rating = (key: RatingKey) => d.ratings.find((r) => r.key === key)?.value ?? 5;
      this.setData({ submitting: true, formError: '' });
      try {
        const review = await createReview(d.orderId, {
          serviceRating: rating('serviceRating'),
          qualityRating: rating('qualityRating'),
          speedRating: rating('speedRating'),
          ...(content ? { content } : {}),
          tags: d.tags.filter((t) => t.selected).map((t) => t.name),
          images: d.photos.map((p) => p.id),
          isAnonymous: d.anonymous,
        });
        this.setData({ submitting: false, reviewed: reviewedView(review) });
        wx.showToast({ title: '评价成功', icon: 'success' });
      } catch (err) {
        this.setData({ submitting: false, formError: (err as Error).message });
      }
    },
    onBack(): void {
      wx.navigateBack({ delta: 1 });
    },
  },
});
