import type { ModuleParts, Platform } from '../../shared/module';
import type { AuthService, SessionsPort } from '../auth';
import { authSessions } from '../auth';
import type { FilesService } from '../files';
import type { StaffAccounts } from '../users';
import { createStaffRepository } from './staff.repository';
import { staffRoutes } from './staff.routes';
import { createStaffService } from './staff.service';

/** Staff accounts and web sign-in, the users and electricians admin pages, and the audit log every staff write goes through. */
export function staffModule(
  p: Platform,
  d: { users: StaffAccounts; auth: Pick<AuthService, 'openSession'>; files: FilesService },
) {
  const { db, clock, bus, logger } = p;
  const sessions: SessionsPort = authSessions(db);
  const service = createStaffService({
    db,
    staff: createStaffRepository(db, d.users),
    sessions,
    // Staff web sessions are ordinary sessions: same tokens, refresh and logout.
    openSession: (userId, meta) => d.auth.openSession(userId, meta),
    files: d.files,
    clock,
    bus,
    logger: logger.child({ module: 'staff' }),
  });
  const parts: ModuleParts = { routes: staffRoutes(service, p.rateLimits), jobs: [] };
  return { service, ...parts };
}
