/** What other modules may use of addresses (the rest is its own). */
import type { AddressesService } from './addresses.service';

/** The contact and place of one of a customer's address-book entries (for a new order). */
export type AddressPlaces = Pick<AddressesService, 'placeOf'>;
