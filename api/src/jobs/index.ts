import type { Container } from '../container';
import { cleanupOrphanUploads } from './uploads-cleanup';
import type { Job } from './scheduler';

/** Every periodic job of the API. Intervals are short: each run only reads what is already due. */
export function platformJobs(c: Container): Job[] {
  return [
    // Domain events and chat deliveries whose delivery did not finish (the process died after the
    // commit) go out again.
    {
      name: 'events.redeliver',
      intervalMs: 15_000,
      run: async () => (await c.bus.redeliver()) + (await c.chatBus.redeliver()),
    },
    { name: 'orders.expire', intervalMs: 30_000, run: () => c.services.orders.expireDue() },
    {
      name: 'dispatch.offers',
      intervalMs: 5_000,
      run: async () => (await c.services.dispatch.expireDue()) + (await c.services.dispatch.startWaiting()),
    },
    { name: 'orders.arrival-sla', intervalMs: 60_000, run: () => c.services.orders.alertOverdueArrivals() },
    // Late notifies are queried, expired prepays closed (or credited when WeChat Pay says paid).
    { name: 'payments.sync-pending', intervalMs: 30_000, run: () => c.services.payments.syncPending() },
    { name: 'payments.refund-retry', intervalMs: 60_000, run: () => c.services.payments.retryRefunds() },
    { name: 'payments.settle', intervalMs: 10 * 60_000, run: () => c.services.payments.settleDue() },
    // Subscribe messages are sent right after their notification; this retries failures with backoff.
    { name: 'messages.subscribe-outbox', intervalMs: 15_000, run: () => c.services.messages.deliverSubscribeMessages() },
    {
      name: 'uploads.cleanup',
      intervalMs: 60 * 60_000,
      run: () => cleanupOrphanUploads({ db: c.db, storage: c.storage, clock: c.clock, logger: c.logger }),
    },
  ];
}
