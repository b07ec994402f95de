/** What other modules may use of dispatch (the rest is its own). */
import type { DispatchRepository } from './dispatch.repository';

export type { DispatchClosed, DispatchOffered } from './dispatch.events';
export type { Offer } from './dispatch.repository';
export {
  ASSIGN_RADIUS_KM,
  type AssignCandidate,
  type DispatchOrders,
  type DispatchElectricians,
  type DispatchService,
} from './dispatch.service';

/**
 * The port through which an order transition touches its dispatch offers, inside the transition's
 * transaction (dispatch owns `dispatch_offers`; the orders module never names it): the
 * electrician's offer of the order, accepting it, and closing the order's other open offers.
 */
export type DispatchOffersPort = Pick<DispatchRepository, 'offerTo' | 'acceptOffer' | 'closeOffers'>;
