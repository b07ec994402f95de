import { createCustomerUseCases } from './domain/customer';
import { createElectricianUseCases } from './domain/electrician';
import { createOrderJobs } from './domain/jobs';
import { createPlacingUseCases } from './domain/placing';
import { createOrderQueries } from './domain/queries';
import { createOrdersRunner, type OrdersDeps } from './domain/runner';
import { createStaffUseCases } from './domain/staff';
import { createOrderStats } from './domain/stats';

export type { CreateOrderInput, OrderFiles, OrdersDeps } from './domain/runner';
export { FAULT_TEXT } from './domain/placing';

/**
 * The orders service: the use cases of `domain/`, one file per actor or concern, all running their
 * transitions through the one runner (`domain/runner.ts`).
 */
export function createOrdersService(d: OrdersDeps) {
  const runner = createOrdersRunner(d);
  return {
    ...createPlacingUseCases(runner),
    ...createOrderQueries(runner),
    ...createElectricianUseCases(runner),
    ...createCustomerUseCases(runner),
    ...createStaffUseCases(runner),
    ...createOrderJobs(runner),
    ...createOrderStats(runner),
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
