/**
 * Parts for an order (配件), for its electrician:
 * - `?orderId=` asks a warehouse for materials of the price list, in whole quantities;
 * - `?orderId=&requestId=` (a request whose parts were issued) records how many of each were used,
 *   the rest going back to stock.
 * Either way the page goes back to the order when the API accepted it.
 */
import { catalogItems } from '../../../services/catalog';
import {
  orderPartsRequests,
  requestParts,
  settlePartsRequest,
  warehouses,
  type PartsRequest,
  type Warehouse,
} from '../../../services/parts';
import { formatMoney } from '../../../utils/money';

interface PartRow {
  catalogItemId: number;
  name: string;
  unit: string;
  /** '¥18.00/个' in ask mode; '领取 2 个' in settle mode. */
  detail: string;
  /** Asked for, or used. */
  count: number;
  /** The most that may be entered: issued (settle mode), or a sensible cap. */
  max: number;
}

const MAX_ASK = 999;

Component({
  data: {
    loading: true,
    error: '',
    mode: 'ask' as 'ask' | 'settle',
    orderId: 0,
    requestId: 0,
    warehouses: [] as Warehouse[],
    warehouseId: 0,
    rows: [] as PartRow[],
    note: '',
    totalCount: 0,
    busy: false,
    submitError: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      const requestId = Number(query.requestId ?? 0);
      this.setData({ orderId: Number(query.orderId), requestId, mode: requestId ? 'settle' : 'ask' });
      if (requestId) wx.setNavigationBarTitle({ title: '登记配件用量' });
      void this.load();
    },
    async load(): Promise<void> {
      this.setData({ error: '' });
      try {
        if (this.data.mode === 'settle') await this.loadSettle();
        else await this.loadAsk();
        this.setData({ loading: false });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    async loadAsk(): Promise<void> {
      const [places, items] = await Promise.all([warehouses(), catalogItems({ category: 'material' })]);
      this.setData({
        warehouses: places,
        warehouseId: places[0]?.id ?? 0,
        rows: items.map((i) => ({
          catalogItemId: i.id,
          name: i.name,
          unit: i.unit,
          detail: `${formatMoney(i.standardPrice)}/${i.unit}`,
          count: 0,
          max: MAX_ASK,
        })),
        totalCount: 0,
      });
    },
    async loadSettle(): Promise<void> {
      const found = (await orderPartsRequests(this.data.orderId)).find((r: PartsRequest) => r.id === this.data.requestId);
      if (!found) throw new Error('没有找到这条配件申请');
      if (found.status !== 'issued') throw new Error('这条申请现在不能登记用量');
      this.setData({
        rows: found.items.map((i) => ({
          catalogItemId: i.catalogItemId,
          name: i.name,
          unit: i.unit,
          detail: `领取 ${i.quantity} ${i.unit}`,
          // Most repairs use what they asked for: start there and count down what is left over.
          count: i.quantity,
          max: i.quantity,
        })),
      });
    },
    onWarehouse(e: WechatMiniprogram.BaseEvent): void {
      this.setData({ warehouseId: Number(e.currentTarget.dataset.id), submitError: '' });
    },
    step(index: number, by: number): void {
      const row = this.data.rows[index];
      if (!row) return;
      const count = Math.min(row.max, Math.max(0, row.count + by));
      this.setData({ [`rows[${index}].count`]: count, submitError: '' });
      this.setData({ totalCount: this.data.rows.reduce((n, r) => n + r.count, 0) });
    },
    onMore(e: WechatMiniprogram.BaseEvent): void {
      this.step(Number(e.currentTarget.dataset.index), 1);
    },
    onLess(e: WechatMiniprogram.BaseEvent): void {
      this.step(Number(e.currentTarget.dataset.index), -1);
    },
    onNoteInput(e: WechatMiniprogram.Input): void {
      this.setData({ note: e.detail.value });
    },
    async onSubmit(): Promise<void> {
      if (this.data.busy) return;
      const d = this.data;
      if (d.mode === 'ask') {
        const items = d.rows.filter((r) => r.count > 0).map((r) => ({ catalogItemId: r.catalogItemId, quantity: r.count }));
        if (!d.warehouseId) return this.setData({ submitError: '请选择领料仓库' });
        if (items.length === 0) return this.setData({ submitError: '请至少选择一种配件' });
        const note = d.note.trim();
        await this.send(
          () => requestParts(d.orderId, { warehouseId: d.warehouseId, items, ...(note ? { note } : {}) }),
          '申请已提交',
        );
      } else {
        const items = d.rows.map((r) => ({ catalogItemId: r.catalogItemId, used: r.count }));
        await this.send(() => settlePartsRequest(d.requestId, items), '用量已登记');
      }
    },
    async send(action: () => Promise<unknown>, done: string): Promise<void> {
      this.setData({ busy: true, submitError: '' });
      try {
        await action();
        wx.showToast({ title: done, icon: 'success' });
        wx.navigateBack();
      } catch (err) {
        this.setData({ submitError: (err as Error).message });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
