/** What other modules may use of complaints (the rest is its own). */
import type { Db } from '../../db';
import { createComplaintsRepository, type ComplaintsRepository } from './complaints.repository';
import type { ComplaintsService } from './complaints.service';

export { COMPLAINT_TYPES, type ComplaintType } from './complaints.schemas';
export type { Complaint } from './complaints.repository';

/** Opening a customer's complaint about their order (the customer-service conversation turns into one through it). */
export type ComplaintOpener = Pick<ComplaintsService, 'open'>;

/** Whether an order, or a party, has a complaint open or being handled; an electrician's orders that have one. */
export type ComplaintsPorts = Pick<ComplaintsRepository, 'hasOpen' | 'hasOpenFor' | 'openOrderIdsOf'>;

/**
 * The complaints ports over a database handle. Payments is built before complaints (a complaint is
 * resolved through its refunds) yet holds an order's settlement while its complaint is open: it
 * asks through this.
 */
export const complaintsPortsOf = (db: Db): ComplaintsPorts => createComplaintsRepository(db);
