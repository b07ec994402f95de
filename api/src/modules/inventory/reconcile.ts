import type { StockRepository, Totals } from './stock.repository';

/** A (warehouse, item) whose stored totals are not what its ledger adds up to. */
export interface StockMismatch {
  warehouseId: number;
  catalogItemId: number;
  stored: { onHand: number; reserved: number };
  ledger: { onHand: number; reserved: number };
}

export interface StockReconciliation {
  /** Balances checked (every stored one and every one the ledger has movements for). */
  checked: number;
  mismatches: StockMismatch[];
  consistent: boolean;
}

/**
 * Proves the stored stock totals equal the ledger: every `stock_balances` row against the sums of
 * its `stock_movements`, and every (warehouse, item) with movements has a balance row.
 */
export async function reconcileStock(
  stock: Pick<StockRepository, 'storedTotals' | 'ledgerTotals'>,
): Promise<StockReconciliation> {
  const [stored, ledger] = await Promise.all([stock.storedTotals(), stock.ledgerTotals()]);
  const key = (t: Totals) => `${t.warehouseId}:${t.catalogItemId}`;
  const zero = (t: Totals): Totals => ({ ...t, onHand: 0, reserved: 0 });
  const byKey = new Map<string, { stored?: Totals; ledger?: Totals }>();
  for (const t of stored) byKey.set(key(t), { stored: t });
  for (const t of ledger) byKey.set(key(t), { ...byKey.get(key(t)), ledger: t });
  const mismatches: StockMismatch[] = [];
  for (const pair of byKey.values()) {
    const s = pair.stored ?? zero(pair.ledger!);
    const l = pair.ledger ?? zero(pair.stored!);
    if (s.onHand !== l.onHand || s.reserved !== l.reserved)
      mismatches.push({
        warehouseId: s.warehouseId,
        catalogItemId: s.catalogItemId,
        stored: { onHand: s.onHand, reserved: s.reserved },
        ledger: { onHand: l.onHand, reserved: l.reserved },
      });
  }
  return { checked: byKey.size, mismatches, consistent: mismatches.length === 0 };
}

export function formatStockReconciliation(r: StockReconciliation): string {
  const lines = [`stock: ${r.checked} balances checked against the ledger, ${r.mismatches.length} mismatched`];
  for (const m of r.mismatches)
    lines.push(
      `  warehouse ${m.warehouseId} item ${m.catalogItemId}: stored on hand ${m.stored.onHand} reserved ${m.stored.reserved}, ledger on hand ${m.ledger.onHand} reserved ${m.ledger.reserved}`,
    );
  lines.push(r.consistent ? 'CONSISTENT' : 'MISMATCH');
  return lines.join('\n');
}
