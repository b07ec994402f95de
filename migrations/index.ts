import type { Knex } from 'knex';
import * as usersAndAuth from './20261122000000_users_and_auth';
import * as uploads from './20261122000100_uploads';
import * as electricians from './20261122000200_electricians';
import * as orders from './20261122000300_orders';
import * as payments from './20261122000400_payments';
import * as chat from './20261122000500_chat';
import * as reviews from './20261122000600_reviews';
import * as complaints from './20261122000700_complaints';
import * as messages from './20261122000800_messages';
import * as staff from './20261122000900_staff';
import * as ordersHallCoveringIndex from './20261122002000_orders_hall_covering_index';
import * as auditOutcome from './20261122003000_audit_outcome';
import * as userAvatarUpload from './20261122004000_user_avatar_upload';
import * as eventOutbox from './20261122005000_event_outbox';
import * as staffLoginLocks from './20261122006000_staff_login_locks';
import * as addresses from './20261122007000_addresses';
import * as accountDeletions from './20261122008000_account_deletions';
import * as catalogItems from './20261122010000_catalog_items';
import * as stockLedger from './20261122010100_stock_ledger';
import * as partsRequests from './20261122010200_parts_requests';
import * as payouts from './20261122011000_payouts';
import * as faq from './20261122012000_faq';
import * as chatServiceDesk from './20261122012001_chat_service_desk';
import * as invoices from './20261122013000_invoices';

/**
 * Migrations are listed here, in order, rather than discovered on disk: the same list then works
 * under tsx, vitest and the compiled `dist/`, with no TypeScript loader inside knex.
 * A test checks that every file in this folder is listed.
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: Knex.Migration]> = [
  ['20261122000000_users_and_auth', usersAndAuth],
  ['20261122000100_uploads', uploads],
  ['20261122000200_electricians', electricians],
  ['20261122000300_orders', orders],
  ['20261122000400_payments', payments],
  ['20261122000500_chat', chat],
  ['20261122000600_reviews', reviews],
  ['20261122000700_complaints', complaints],
  ['20261122000800_messages', messages],
  ['20261122000900_staff', staff],
  ['20261122002000_orders_hall_covering_index', ordersHallCoveringIndex],
  ['20261122003000_audit_outcome', auditOutcome],
  ['20261122004000_user_avatar_upload', userAvatarUpload],
  ['20261122005000_event_outbox', eventOutbox],
  ['20261122006000_staff_login_locks', staffLoginLocks],
  ['20261122007000_addresses', addresses],
  ['20261122008000_account_deletions', accountDeletions],
  ['20261122010000_catalog_items', catalogItems],
  ['20261122010100_stock_ledger', stockLedger],
  ['20261122010200_parts_requests', partsRequests],
  ['20261122011000_payouts', payouts],
  ['20261122012000_faq', faq],
  ['20261122012001_chat_service_desk', chatServiceDesk],
  ['20261122013000_invoices', invoices],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([n]) => n === name);
    if (!found) throw new Error(`Unknown migration ${name}`);
    return found[1];
  },
};
