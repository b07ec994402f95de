/** What other modules may use of orders (the rest is its own). */
export { placeFields, type Place } from './orders.schemas';
export type { Order } from './orders.repository';
