/** What other modules may use of staff (the rest is its own). */
import type { StaffService } from './staff.service';

/** The write-ahead audit of a staff member's writes that do not come through a staff route (chat over the socket). */
export type StaffAudit = Pick<StaffService, 'beginSocketAction' | 'actionAudit'>;
