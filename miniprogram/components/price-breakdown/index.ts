import type { PriceLine } from '../../utils/price-lines';

/**
 * What an order costs, line by line (visit fee, each material with its quantity and unit price,
 * labour, what was refunded) and the total with its label (合计, 应付, 实付 …). The lines come from
 * utils/price-lines, which both order details use.
 */
Component({
  properties: {
    lines: { type: Array, value: [] as PriceLine[] },
    totalLabel: { type: String, value: '合计' },
    totalText: { type: String, value: '' },
    /** A line under the total (the payment state, a rule). */
    note: { type: String, value: '' },
  },
});
