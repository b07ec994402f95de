import {
  COMPLAINT_STATUS_TEXT,
  COMPLAINT_TYPE_TEXT,
  complaintDetail,
  myComplaints,
  openComplaint,
  type Complaint,
  type ComplaintType,
} from '../../../services/complaints';
import { complainFromService } from '../../../services/faq';
import { fileUrl } from '../../../services/files';
import { formatTime } from '../../../utils/format';
import { formatMoney } from '../../../utils/money';
import { photoHandlers, type Photo } from '../../../utils/photo-picker';

const MAX_PHOTOS = 9;
const TYPES = Object.keys(COMPLAINT_TYPE_TEXT) as ComplaintType[];
const ACTION_TEXT: Record<string, string> = {
  open: '提交售后申请',
  message: '补充说明',
  reply: '客服回复',
  escalate: '已升级处理',
  resolve: '处理完成',
};
const OUTCOME_TEXT: Record<string, string> = { rework: '安排返工', refund: '退款', compensate: '补偿', reject: '驳回' };

interface Row {
  id: number;
  orderNo: string;
  typeText: string;
  statusText: string;
  content: string;
  timeText: string;
}

interface Detail extends Row {
  images: string[];
  outcomeText: string;
  events: { id: number; text: string; content: string; timeText: string }[];
}

const toRow = (c: Complaint): Row => ({
  id: c.id,
  orderNo: c.orderNo,
  typeText: COMPLAINT_TYPE_TEXT[c.type],
  statusText: COMPLAINT_STATUS_TEXT[c.status],
  content: c.content,
  timeText: formatTime(c.createdAt),
});

function toDetail(c: Complaint): Detail {
  const outcome = c.outcome ? `处理结果：${OUTCOME_TEXT[c.outcome] ?? c.outcome}` : '';
  const refund = c.refundAmount ? `，退款 ${formatMoney(c.refundAmount)}` : '';
  return {
    ...toRow(c),
    images: c.images.map((i) => fileUrl(i.url)),
    outcomeText: outcome ? `${outcome}${refund}${c.resolutionNote ? `（${c.resolutionNote}）` : ''}` : '',
    events: (c.events ?? []).map((e) => ({
      id: e.id,
      text: ACTION_TEXT[e.action] ?? e.action,
      content: e.content ?? '',
      timeText: formatTime(e.createdAt),
    })),
  };
}

Component({
  data: {
    orderId: 0,
    /** Opened from the customer-service conversation (`?via=service`): the complaint is filed from it. */
    viaService: false,
    loading: true,
    error: '',
    complaints: [] as Row[],
    detail: null as Detail | null,
    /** The form shows for an order without an open complaint. */
    canOpen: false,
    typeNames: TYPES.map((t) => COMPLAINT_TYPE_TEXT[t]),
    typeIndex: 0,
    content: '',
    photos: [] as Photo[],
    maxPhotos: MAX_PHOTOS,
    uploading: false,
    submitting: false,
    formError: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      this.setData({ orderId: Number(query.orderId) || 0, viaService: query.via === 'service' });
      const id = Number(query.id) || 0;
      if (id) void this.openDetail(id);
    },
    onShow(): void {
      if (this.data.detail) void this.openDetail(this.data.detail.id);
      else void this.load();
    },
    /** My complaints (for this order when one is given), all pages: a customer has few. */
    async load(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const all: Complaint[] = [];
        for (let page = 1; ; page += 1) {
          const res = await myComplaints({ as: 'customer', page, limit: 100 });
          all.push(...res.data);
          if (page * res.pagination.limit >= res.pagination.total || res.data.length === 0) break;
        }
        const mine = this.data.orderId ? all.filter((c) => c.orderId === this.data.orderId) : all;
        const open = mine.some((c) => c.status === 'open' || c.status === 'processing');
        this.setData({ loading: false, complaints: mine.map(toRow), canOpen: this.data.orderId > 0 && !open });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    async openDetail(id: number): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        this.setData({ loading: false, detail: toDetail(await complaintDetail(id)) });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    onOpenComplaint(e: WechatMiniprogram.BaseEvent): void {
      void this.openDetail(Number(e.currentTarget.dataset.id));
    },
    onBackToList(): void {
      this.setData({ detail: null });
      void this.load();
    },
    onTypeChange(e: WechatMiniprogram.PickerChange): void {
      this.setData({ typeIndex: Number(e.detail.value), formError: '' });
    },
    onContentInput(e: WechatMiniprogram.Input): void {
      this.setData({ content: e.detail.value, formError: '' });
    },
    ...photoHandlers('complaint'),
    async onSubmit(): Promise<void> {
      const d = this.data;
      if (d.submitting || d.uploading) return;
      const content = d.content.trim();
      if (content.length < 5 || content.length > 1000) {
        this.setData({ formError: '请描述问题（5–1000 字）' });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      try {
        const body = {
          type: TYPES[d.typeIndex],
          content,
          ...(d.photos.length ? { images: d.photos.map((p) => p.id) } : {}),
        };
        const complaint = d.viaService
          ? (await complainFromService({ orderId: d.orderId, ...body })).complaint
          : await openComplaint(d.orderId, body);
        this.setData({ submitting: false, content: '', photos: [], canOpen: false });
        wx.showToast({ title: '已提交，客服会尽快处理', icon: 'none' });
        await this.openDetail(complaint.id);
      } catch (err) {
        this.setData({ submitting: false, formError: (err as Error).message });
      }
    },
  },
});
