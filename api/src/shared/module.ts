import type { Config } from '../config';
import type { Db } from '../db';
import type { Job } from '../jobs/scheduler';
import type { Clock } from './clock';
import type { DomainBus } from './domain-events';
import type { Logger } from './logger';
import type { RateLimits } from './rate-limit';
import type { RouteDef } from './routing';

/**
 * What every module is built from: the configuration, the database handle, the clock, the logger,
 * the domain bus and the per-client limits. A module's composition function (`ordersModule(p, deps)`)
 * takes this and the ports of the other modules it uses, and returns its service and its parts.
 */
export interface Platform {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  bus: DomainBus;
  rateLimits: RateLimits;
}

/** What a module adds to the running app: its routes (mounted in the order the container lists the modules) and its periodic jobs. */
export interface ModuleParts {
  routes: RouteDef[];
  jobs: Job[];
}
