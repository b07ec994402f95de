import { createPaymentConfirmation } from './domain/confirm';
import { createPaymentJobs } from './domain/jobs';
import { createPrepayUseCases } from './domain/prepay';
import { createRefunds } from './domain/refunds';
import type { PaymentsDeps } from './domain/shared';

export { LATE_NOTIFY_MS, PAYMENT_TTL_MS, paymentView, type PaymentsDeps } from './domain/shared';

/**
 * The payments service: the use cases of `domain/` — prepay (the customer's side), confirmation
 * (notify, query, close: credited exactly once), refunds, and the jobs with the earnings view.
 */
export function createPaymentsService(d: PaymentsDeps) {
  const confirm = createPaymentConfirmation(d);
  return {
    handleNotify: confirm.handleNotify,
    ...createRefunds(d),
    ...createPrepayUseCases(d, confirm),
    ...createPaymentJobs(d, confirm),
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
