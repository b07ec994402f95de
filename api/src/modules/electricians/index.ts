/** What other modules may use of electricians (the rest is its own). */
import type { Electrician, ElectriciansRepository } from './electricians.repository';

export type { Electrician, ElectricianCardSource } from './electricians.repository';

/** An electrician by id or by user id (read-only). */
export type ElectricianReader = Pick<ElectriciansRepository, 'findById' | 'findByUserId'>;

/** Electricians near a new order who hear of it (the hall push). */
export type PushCandidates = Pick<ElectriciansRepository, 'findById' | 'pushCandidates'>;

/**
 * The user's profile as this instance holds it: read within SESSION_CACHE_MS and forgotten on every
 * instance when its owner edits it, it is decided on or the account is deleted; its slot counts are
 * not kept current. For what only shows (the hall), never for what decides (a grab reads the row in
 * its transaction).
 */
export interface HeldProfiles {
  heldByUserId(userId: number): Promise<Electrician | undefined>;
}

/** What an order transition needs of the electrician taking, freeing or re-taking it: eligibility and active-order slots. */
export type OrderElectriciansPort = Pick<
  ElectriciansRepository,
  'findById' | 'findByUserId' | 'takeSlot' | 'freeSlot' | 'reopenSlot'
> &
  HeldProfiles;

/** The electrician's own reported location (the `update_location` socket event). */
export type LocationPort = Pick<ElectriciansRepository, 'findByUserId' | 'storeLocation'>;

/** The electrician's running earnings, credited and debited inside the payment's transaction. */
export type EarningsPort = Pick<ElectriciansRepository, 'findByUserId' | 'creditEarnings' | 'debitEarnings'>;

/** The electrician cards shown on a page of orders, by id (batched). */
export type ElectricianCards = Pick<ElectriciansRepository, 'cards'>;

/** What reviews needs of the electrician: who they are, and their rating, locked and stored in the review's transaction. */
export type RatingPort = Pick<ElectriciansRepository, 'findById' | 'findByUserId' | 'lockForRating' | 'setRating'>;

/** Everything other modules may use of electricians, as one handle (each is given the narrow view it needs). */
export type ElectriciansPorts = ElectricianReader &
  PushCandidates &
  OrderElectriciansPort &
  LocationPort &
  EarningsPort &
  ElectricianCards &
  RatingPort &
  Pick<ElectriciansRepository, 'dispatchCandidates' | 'assignable' | 'lockByUserId' | 'erase'>;
