/** What other modules may use of complaints (the rest is its own). */
import type { Db } from '../../db';
import { createComplaintsRepository, type ComplaintsRepository } from './complaints.repository';

/** Whether an order, or a party, has a complaint open or being handled; an electrician's orders that have one. */
export type ComplaintsPorts = Pick<ComplaintsRepository, 'hasOpen' | 'hasOpenFor' | 'openOrderIdsOf'>;

/**
 * The complaints ports over a database handle. Payments is built before complaints (a complaint is
 * resolved through its refunds) yet holds an order's settlement while its complaint is open: it
 * asks through this.
 */
export const complaintsPortsOf = (db: Db): ComplaintsPorts => createComplaintsRepository(db);
