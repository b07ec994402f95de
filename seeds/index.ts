import type { Knex } from 'knex';
import type { Clock } from '../api/src/shared/clock';
import * as demoUsers from './01_demo_users';
import * as demoElectricians from './02_demo_electricians';
import * as demoOrders from './03_demo_orders';
import * as demoComplaints from './05_demo_complaints';
import * as demoInventory from './06_demo_inventory';
import * as faq from './07_faq';
import type { SeedContext } from './02_demo_electricians';

export type { SeedContext };

/** Demo seeds in order. Each is idempotent: it adds what is missing and leaves the rest alone. */
export const seeds: ReadonlyArray<
  readonly [name: string, seed: { seed(knex: Knex, now?: Date, ctx?: SeedContext): Promise<void> }]
> = [
  ['01_demo_users', demoUsers],
  ['02_demo_electricians', demoElectricians],
  ['03_demo_orders', demoOrders],
  ['05_demo_complaints', demoComplaints],
  ['06_demo_inventory', demoInventory],
  // The knowledge base is no demo: its migration seeds it everywhere; this refills an emptied one.
  ['07_faq', faq],
];

export async function runSeeds(db: Knex, clock: Clock, ctx: SeedContext = {}): Promise<string[]> {
  for (const [, s] of seeds) await s.seed(db, clock.now(), ctx);
  return seeds.map(([name]) => name);
}

/** Seeds only a database nobody has used yet (no users), as `npm start` does on first run. */
export async function seedDemoIfEmpty(db: Knex, clock: Clock, ctx: SeedContext = {}): Promise<boolean> {
  const row = await db('users').count({ n: '*' }).first();
  if (Number(row?.n ?? 0) > 0) return false;
  await runSeeds(db, clock, ctx);
  return true;
}
