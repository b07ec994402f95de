import type { StaffRole } from '../../shared/auth';
import type { DomainBus } from '../../shared/domain-events';
import { can, ROLE_PERMISSIONS } from '../../shared/permissions';
import type { MessagesService } from '../messages';
import { formatYuan } from '../payments';
import type { StaffDirectory } from '../users';
import type { InvoiceChanged } from './invoices.events';

type Draft = Parameters<MessagesService['notify']>[0][number];

const FINANCE_ROLES = (Object.keys(ROLE_PERMISSIONS) as StaffRole[]).filter((role) => can(role, 'finance.invoices'));

/**
 * What the invoices module does on the domain bus: tells finance staff of a new request, and the
 * customer of the issue (with the invoice number) or the rejection (with the reason), through the
 * message center — stored, pushed, once per (event, recipient). The e-mail address a customer gave
 * is only kept with the invoice: nothing is mailed from here.
 */
export function subscribeInvoices(
  bus: DomainBus,
  d: { messages: Pick<MessagesService, 'notify'>; staff: StaffDirectory },
): () => void {
  async function drafts(e: InvoiceChanged): Promise<Draft[]> {
    const base = { orderId: e.orderId, sourceKey: `${e.name}:${e.invoiceId}` };
    const toCustomer = (title: string, content: string): Draft[] => [
      { ...base, type: 'order', userId: e.customerId, title, content },
    ];
    switch (e.name) {
      case 'invoice.requested':
        return (await d.staff.staffIdsWithRole(FINANCE_ROLES)).map((userId) => ({
          ...base,
          type: 'system',
          userId,
          title: '新的发票申请',
          content: `工单 ${e.orderNo} 申请开具发票（${formatYuan(e.amount)}），请及时处理。`,
        }));
      case 'invoice.issued':
        return toCustomer(
          '发票已开具',
          `工单 ${e.orderNo} 的发票已开具，发票号码 ${e.invoiceNo}，金额 ${formatYuan(e.amount)}，可在“我的发票”中查看下载。`,
        );
      case 'invoice.rejected':
        return toCustomer('发票申请被驳回', `工单 ${e.orderNo} 的发票申请被驳回：${e.reason}。可修改开票信息后重新申请。`);
    }
  }

  const offs = (['invoice.requested', 'invoice.issued', 'invoice.rejected'] as const).map((name) =>
    bus.subscribe(name, async (e: InvoiceChanged) =>
      d.messages.notify((await drafts(e)).map((x) => ({ ...x, sourceKey: `${x.sourceKey}:${x.userId}` }))),
    ),
  );
  return () => offs.forEach((off) => off());
}
