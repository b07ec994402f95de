import type { Photo } from '../../utils/photo-picker';

/** A photo as the grid shows it: a key for wx:for and a displayable URL. */
interface Item {
  key: string;
  url: string;
}

/**
 * Photos in a grid of 160 rpx tiles; a tap opens them full screen (wx.previewImage). Given `max`, the
 * grid edits: a 删除 corner on each tile (an 88 rpx target) fires `remove` with `{index}`, and a
 * tile to add more fires `add` while fewer than `max` (上传中… while `uploading`). The page uploads
 * (utils/photo-picker photoHandlers). `photos` are URLs or uploads (`{id, url}`).
 */
Component({
  properties: {
    photos: { type: Array, value: [] as (string | Photo)[] },
    /** 0: view only. */
    max: { type: Number, value: 0 },
    uploading: { type: Boolean, value: false },
  },
  data: { items: [] as Item[] },
  observers: {
    photos(photos: (string | Photo)[]) {
      this.setData({
        items: photos.map((p, i) => (typeof p === 'string' ? { key: `${i}:${p}`, url: p } : { key: String(p.id), url: p.url })),
      });
    },
  },
  methods: {
    onPreview(e: WechatMiniprogram.BaseEvent): void {
      const urls = this.data.items.map((i) => i.url);
      wx.previewImage({ urls, current: urls[Number(e.currentTarget.dataset.index)] });
    },
    onRemove(e: WechatMiniprogram.BaseEvent): void {
      this.triggerEvent('remove', { index: Number(e.currentTarget.dataset.index) });
    },
    onAdd(): void {
      if (!this.data.uploading) this.triggerEvent('add');
    },
  },
});
