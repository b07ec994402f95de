import { z } from 'zod';
import type { DevWechatPay } from '../../integrations/wechatpay/wechatpay';
import type { RouteDef } from '../../shared/routing';
import { createPayoutsController, payoutsRequests as r } from './payouts.controller';
import { adminWithdrawalRowView, adminWithdrawalView, walletView, withdrawalView } from './payouts.schemas';
import type { PayoutsService } from './payouts.service';

/** WeChat Pay's transfer callback: app.ts parses it as a raw body (the signature covers the bytes). */
export const TRANSFER_NOTIFY_PATH = '/api/payments/transfer-notify';

export function payoutsRoutes(service: PayoutsService, dev: DevWechatPay | undefined): RouteDef[] {
  const c = createPayoutsController(service);
  const tags = ['Payouts'];
  const routes: RouteDef[] = [
    // --- the approved electrician's wallet and withdrawals
    {
      method: 'get',
      path: '/api/electricians/me/wallet',
      summary:
        'My wallet (fen): available, withdrawable (less what open complaints hold back), pending settlement, withdrawing, withdrawn, and the last ledger rows',
      tags,
      auth: ['electrician'],
      staff: 'none',
      response: walletView,
      handler: c.wallet,
    },
    {
      method: 'post',
      path: '/api/electricians/me/withdrawals',
      summary:
        'Withdraw to WeChat change (Idempotency-Key header): reviewing at or above WITHDRAW_REVIEW_FEN, else wait_user_confirm with packageInfo for wx.requestMerchantTransfer — or approved while WeChat Pay cannot be reached (the bill follows; GET /api/withdrawals/:withdrawalNo) (400 WITHDRAW_BELOW_MIN; 409 INSUFFICIENT_BALANCE, WITHDRAW_LIMIT, IDEMPOTENCY_KEY_REUSED)',
      tags,
      auth: ['electrician'],
      staff: 'none',
      status: 201,
      schemas: r.withdraw,
      response: withdrawalView,
      handler: c.withdraw,
    },
    {
      method: 'get',
      path: '/api/electricians/me/withdrawals',
      summary: 'My withdrawals, newest first',
      tags,
      auth: ['electrician'],
      staff: 'none',
      schemas: r.mine,
      response: z.array(withdrawalView),
      handler: c.mine,
    },
    {
      method: 'get',
      path: '/api/withdrawals/:withdrawalNo',
      summary: 'A withdrawal (its electrician, or staff with finance.payouts); asks WeChat Pay while its bill is pending',
      tags,
      auth: 'user',
      staff: ['finance.payouts'],
      schemas: r.byNo,
      response: withdrawalView,
      handler: c.get,
    },
    // --- WeChat Pay's callback (raw body; signature, freshness and GCM tag verified)
    {
      method: 'post',
      path: TRANSFER_NOTIFY_PATH,
      summary:
        'WeChat Pay merchant-transfer notify (MCHTRANSFER.BILL.FINISHED): 204 when handled, 401 INVALID_SIGNATURE when unverifiable',
      tags,
      auth: 'public',
      status: 204,
      handler: c.transferNotify,
    },
    // --- finance staff
    {
      method: 'get',
      path: '/api/admin/withdrawals',
      summary: "Withdrawals (filter by status, electrician), newest first, with the electrician's name",
      tags: ['Admin'],
      auth: { permission: 'finance.payouts' },
      schemas: r.adminList,
      response: z.array(adminWithdrawalRowView),
      handler: c.adminList,
    },
    {
      method: 'post',
      path: '/api/admin/withdrawals/:withdrawalNo/approve',
      summary: 'Approve a withdrawal in review: its transfer bill is created (→ wait_user_confirm; 409 INVALID_TRANSITION)',
      tags: ['Admin'],
      auth: { permission: 'finance.payouts' },
      schemas: r.byNo,
      response: adminWithdrawalView,
      handler: c.approve,
    },
    {
      method: 'post',
      path: '/api/admin/withdrawals/:withdrawalNo/reject',
      summary: 'Reject a withdrawal in review: cancelled with the reason, the money back in available (409 INVALID_TRANSITION)',
      tags: ['Admin'],
      auth: { permission: 'finance.payouts' },
      schemas: r.reject,
      response: adminWithdrawalView,
      handler: c.reject,
    },
  ];
  // Dev pay mode only (config refuses dev pay in production): the route does not exist otherwise.
  if (dev) {
    routes.push({
      method: 'post',
      path: '/api/dev/withdrawals/:withdrawalNo/confirm',
      summary: 'Dev pay mode: confirm my withdrawal (or fail it): a signed, encrypted transfer notify through the real handler',
      tags,
      auth: ['electrician'],
      staff: 'none',
      schemas: r.devConfirm,
      response: withdrawalView,
      handler: c.devConfirm(dev),
    });
  }
  return routes;
}
