import { completeOrder, orderDetail } from '../../../services/orders';
import { orderStatusText } from '../../../utils/format';
import { photoHandlers, type Photo } from '../../../utils/photo-picker';

const MAX_PHOTOS = 9;

/** The repair record: what was done and photos of it; submitting completes the order. */
Component({
  data: {
    id: 0,
    loading: true,
    error: '',
    orderNo: '',
    title: '',
    status: '',
    statusText: '',
    content: '',
    photos: [] as Photo[],
    maxPhotos: MAX_PHOTOS,
    uploading: false,
    submitting: false,
    formError: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ id: Number(query.id) });
    },
    onShow(): void {
      void this.load();
    },
    async load(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const o = await orderDetail(this.data.id);
        this.setData({ orderNo: o.orderNo, title: o.title, status: o.status, statusText: orderStatusText(o.status) });
      } catch (err) {
        this.setData({ error: (err as Error).message });
      } finally {
        this.setData({ loading: false });
      }
    },
    onContentInput(e: WechatMiniprogram.Input): void {
      this.setData({ content: e.detail.value, formError: '' });
    },
    ...photoHandlers('repair'),
    async onSubmit(): Promise<void> {
      const d = this.data;
      if (d.submitting || d.uploading) return;
      const repairContent = d.content.trim();
      if (repairContent.length < 5 || repairContent.length > 2000) {
        this.setData({ formError: '维修内容需 5–2000 字' });
        return;
      }
      if (d.photos.length === 0) {
        this.setData({ formError: '请至少上传一张维修照片' });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      try {
        await completeOrder(d.id, { repairContent, repairImages: d.photos.map((p) => p.id) });
        wx.showToast({ title: '已完工，等待客户付款', icon: 'success' });
        wx.redirectTo({ url: `/pages/electrician/order-detail/order-detail?id=${d.id}` });
      } catch (err) {
        this.setData({ formError: (err as Error).message });
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
