import { isDevWechatPay, type WechatPay } from '../../integrations/wechatpay/wechatpay';
import { createIdempotency } from '../../shared/idempotency';
import type { ModuleParts, Platform } from '../../shared/module';
import type { ComplaintsPorts } from '../complaints';
import type { ElectricianReader } from '../electricians';
import type { MessagesService } from '../messages';
import type { SharesReads } from '../payments';
import type { AccountDeletion } from '../users';
import { createPayoutsRepository } from './payouts.repository';
import { payoutsRoutes } from './payouts.routes';
import { createPayoutsService } from './payouts.service';
import { subscribePayouts } from './payouts.subscriptions';

/**
 * Payouts (提现, SPEC 3.9): the electrician's wallet — settled shares credited from payments'
 * `payment.settled`, a ledger row for every change — and withdrawals to WeChat change through
 * merchant transfer bills: reviewed by finance above WITHDRAW_REVIEW_FEN, confirmed by the
 * electrician in the mini-program, settled by the transfer notify or the job's queries.
 */
export function payoutsModule(
  p: Platform,
  d: {
    wxpay: WechatPay;
    electricians: ElectricianReader;
    complaints: Pick<ComplaintsPorts, 'openOrderIdsOf'>;
    shares: Pick<SharesReads, 'pendingShare'>;
    messages: Pick<MessagesService, 'notify'>;
    deletion: AccountDeletion;
  },
) {
  const { db, clock, bus, config, logger } = p;
  const repository = createPayoutsRepository(db);
  const service = createPayoutsService({
    db,
    payouts: repository,
    electricians: d.electricians,
    complaints: d.complaints,
    shares: d.shares,
    wxpay: d.wxpay,
    idempotency: createIdempotency(db, clock),
    bus,
    clock,
    rules: config.payouts,
    logger: logger.child({ module: 'payouts' }),
  });
  subscribePayouts(bus, { payouts: service, messages: d.messages });
  // An account with money on its way out cannot be deleted; its wallet rows stay for the books.
  d.deletion.busyWhen(async (party, trx) =>
    party.electricianId !== null && (await repository.hasPending(party.electricianId, trx)) ? '你有处理中的提现' : null,
  );
  d.deletion.erase((party, deletedOpenid, now, trx) => repository.anonymiseRecipient(party.customerId, deletedOpenid, now, trx));
  const devPay = !config.isProduction && isDevWechatPay(d.wxpay) ? d.wxpay : undefined;
  const parts: ModuleParts = {
    routes: payoutsRoutes(service, devPay),
    jobs: [{ name: 'payouts.sync-pending', intervalMs: 60_000, run: () => service.syncPending() }],
  };
  return { service, ...parts };
}
