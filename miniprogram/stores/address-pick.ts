/**
 * Hands an address from the address book back to the page that opened it (the order form), and an
 * imported WeChat address on to the edit page. In memory: a pick is consumed by the next onShow.
 */
import type { Address } from '../services/addresses';
import type { PlaceForm } from '../utils/place';

let picked: Address | null = null;
let imported: Omit<PlaceForm, 'latitude' | 'longitude'> | null = null;

export const addressPick = {
  pick(a: Address): void {
    picked = a;
  },
  /** The address chosen since the last call, once. */
  take(): Address | null {
    const a = picked;
    picked = null;
    return a;
  },
  setImported(fields: Omit<PlaceForm, 'latitude' | 'longitude'>): void {
    imported = fields;
  },
  takeImported(): Omit<PlaceForm, 'latitude' | 'longitude'> | null {
    const f = imported;
    imported = null;
    return f;
  },
};
