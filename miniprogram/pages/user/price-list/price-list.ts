/**
 * The price list (价目表): every active labour item and material with its standard price and the
 * most an electrician may quote for it, filtered by fault type. Public: a customer reads it before
 * ordering (from the home page, or a service's `?faultType=`), so a quote can be judged against it.
 * With `?select=1` (the electrician's quote builder) a tap on an item hands it back and returns.
 */
import { catalogItems, priceListRow, type CatalogItem, type PriceListRow } from '../../../services/catalog';
import type { FaultType } from '../../../services/orders';
import { catalogPick } from '../../../stores/catalog-pick';
import { FAULT_TYPE_TEXT, FAULT_TYPES } from '../../../utils/electrician';

interface Chip {
  value: FaultType | '';
  label: string;
}

const isFaultType = (v: string | undefined): v is FaultType => FAULT_TYPES.includes(v as FaultType);

Component({
  data: {
    loading: true,
    error: '',
    chips: [] as Chip[],
    active: '' as FaultType | '',
    labour: [] as PriceListRow[],
    materials: [] as PriceListRow[],
    emptyText: '',
    /** Whether the list has any item at all (else its introduction would promise what it cannot show). */
    published: false,
    select: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      if (isFaultType(query.faultType)) this.setData({ active: query.faultType });
      if (query.select === '1') {
        this.setData({ select: true });
        wx.setNavigationBarTitle({ title: '从价目表添加' });
      }
      void this.load();
    },
    async onPullDownRefresh(): Promise<void> {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load(): Promise<void> {
      const self = this as unknown as { items: CatalogItem[] };
      this.setData({ error: '' });
      try {
        self.items = await catalogItems();
        const { active } = this.data;
        // A chip for each fault type the list has items for (and the one asked for, even if it has none).
        const types = FAULT_TYPES.filter((t) => t === active || self.items.some((i) => i.faultTypes.includes(t)));
        this.setData({
          loading: false,
          published: self.items.length > 0,
          chips: [{ value: '', label: '全部' }, ...types.map((t) => ({ value: t, label: FAULT_TYPE_TEXT[t] }))],
        });
        this.show();
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
    show(): void {
      const { items } = this as unknown as { items: CatalogItem[] };
      const { active } = this.data;
      const shown = items.filter((i) => !active || i.faultTypes.includes(active));
      this.setData({
        labour: shown.filter((i) => i.category === 'labour').map(priceListRow),
        materials: shown.filter((i) => i.category === 'material').map(priceListRow),
        emptyText: items.length === 0 ? '价目表还没有发布，费用以师傅上门检查后的报价为准' : '这一类暂无价目',
      });
    },
    onPick(e: WechatMiniprogram.BaseEvent): void {
      if (!this.data.select) return;
      const id = Number(e.currentTarget.dataset.id);
      const item = (this as unknown as { items: CatalogItem[] }).items.find((i) => i.id === id);
      if (!item) return;
      catalogPick.pick(item);
      wx.navigateBack();
    },
    onChip(e: WechatMiniprogram.BaseEvent): void {
      const value = String(e.currentTarget.dataset.value ?? '');
      this.setData({ active: isFaultType(value) ? value : '' });
      this.show();
    },
  },
});
