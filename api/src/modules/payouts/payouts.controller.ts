import type { Request } from 'express';
import type { DevWechatPay } from '../../integrations/wechatpay/wechatpay';
import { principal } from '../../shared/auth';
import { validationFailed, zodDetails } from '../../shared/errors';
import { paged } from '../../shared/routing';
import { valid } from '../../shared/validate';
import {
  adminWithdrawalsQuery,
  devConfirmBody,
  idempotencyHeader,
  myWithdrawalsQuery,
  rejectBody,
  withdrawalNoParams,
  withdrawBody,
} from './payouts.schemas';
import type { PayoutsService } from './payouts.service';

export const payoutsRequests = {
  withdraw: { body: withdrawBody },
  mine: { query: myWithdrawalsQuery },
  byNo: { params: withdrawalNoParams },
  adminList: { query: adminWithdrawalsQuery },
  reject: { params: withdrawalNoParams, body: rejectBody },
  devConfirm: { params: withdrawalNoParams, body: devConfirmBody },
};

/** The raw notify body: express.raw runs for the notify paths only (app.ts), so it is a Buffer. */
const rawBody = (req: Request) => (Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');

export function createPayoutsController(payouts: PayoutsService) {
  const r = payoutsRequests;
  return {
    wallet: (req: Request) => payouts.wallet(principal(req)),
    withdraw: (req: Request) => {
      const parsed = idempotencyHeader.safeParse(req.get('Idempotency-Key'));
      if (!parsed.success)
        throw validationFailed(zodDetails(parsed.error, ['headers', 'idempotency-key']), '缺少或无效的 Idempotency-Key');
      return payouts.withdraw(principal(req), valid(req, r.withdraw).body.amount, parsed.data);
    },
    mine: async (req: Request) => paged(await payouts.mine(principal(req), valid(req, r.mine).query)),
    get: (req: Request) => payouts.get(principal(req), valid(req, r.byNo).params.withdrawalNo),
    transferNotify: (req: Request) => payouts.handleTransferNotify(req.headers, rawBody(req)),
    adminList: async (req: Request) => paged(await payouts.adminList(valid(req, r.adminList).query)),
    approve: (req: Request) => payouts.approve(principal(req), valid(req, r.byNo).params.withdrawalNo),
    reject: (req: Request) => {
      const { params, body } = valid(req, r.reject);
      return payouts.reject(principal(req), params.withdrawalNo, body.reason);
    },
    devConfirm: (dev: DevWechatPay) => (req: Request) => {
      const { params, body } = valid(req, r.devConfirm);
      return payouts.devConfirm(dev, principal(req), params.withdrawalNo, body.result);
    },
  };
}
