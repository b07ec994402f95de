import type { StaffRole } from '../../shared/auth';
import type { DomainBus } from '../../shared/domain-events';
import { can, ROLE_PERMISSIONS } from '../../shared/permissions';
import type { MessagesService } from '../messages';
import type { OrderChanged } from '../orders';
import type { StaffDirectory } from '../users';
import type { PartsRequestChanged, StockLow } from './inventory.events';
import type { PartsRequestsService } from './parts-requests.service';

type Draft = Parameters<MessagesService['notify']>[0][number];

const INVENTORY_ROLES = (Object.keys(ROLE_PERMISSIONS) as StaffRole[]).filter((role) => can(role, 'inventory.manage'));

/**
 * What the inventory module does on the domain bus: releases an order's open parts requests when
 * the order is cancelled or taken from its electrician, and tells the other side of each step of a
 * request (and inventory staff of low stock) through the message center — stored, pushed, once
 * per (event, recipient).
 */
export function subscribeInventory(
  bus: DomainBus,
  d: { requests: PartsRequestsService; messages: Pick<MessagesService, 'notify'>; staff: StaffDirectory },
): () => void {
  const inventoryStaff = () => d.staff.staffIdsWithRole(INVENTORY_ROLES);

  async function partsRequest(e: PartsRequestChanged): Promise<Draft[]> {
    const no = e.orderNo;
    const base = { orderId: e.orderId, sourceKey: `${e.name}:${e.requestId}` };
    const toElectrician = (title: string, content: string): Draft[] =>
      e.actor.id === e.electricianUserId ? [] : [{ ...base, type: 'order', userId: e.electricianUserId, title, content }];
    const toStaff = async (title: string, content: string): Promise<Draft[]> =>
      (await inventoryStaff())
        .filter((id) => id !== e.actor.id)
        .map((userId) => ({ ...base, type: 'system', userId, title, content }));
    const reason = e.reason ? `：${e.reason}` : '。';
    switch (e.name) {
      case 'parts_request.created':
        return toStaff('新的配件申请', `工单 ${no} 的师傅向${e.warehouseName}申请配件（#${e.requestId}），请审批。`);
      case 'parts_request.approved':
        return toElectrician('配件申请已批准', `工单 ${no} 的配件申请 #${e.requestId} 已批准，请到${e.warehouseName}领取。`);
      case 'parts_request.rejected':
        return toElectrician('配件申请被驳回', `工单 ${no} 的配件申请 #${e.requestId} 被驳回${reason}`);
      case 'parts_request.issued':
        return toElectrician('配件已出库', `工单 ${no} 的配件申请 #${e.requestId} 已出库，维修后请登记用量。`);
      case 'parts_request.settled':
        return toStaff(
          '配件用量已登记',
          `工单 ${no} 的配件申请 #${e.requestId} 已登记用量，未用完的配件已退回${e.warehouseName}。`,
        );
      case 'parts_request.cancelled':
        return [
          ...toElectrician('配件申请已取消', `工单 ${no} 的配件申请 #${e.requestId} 已取消${reason}`),
          ...(await toStaff('配件申请已取消', `工单 ${no} 的配件申请 #${e.requestId} 已取消${reason}`)),
        ];
    }
  }

  async function stockLow(e: StockLow): Promise<Draft[]> {
    return (await inventoryStaff()).map((userId) => ({
      userId,
      type: 'system',
      orderId: null,
      title: '库存不足',
      content: `${e.warehouseName}的${e.itemName}可用库存 ${e.available}${e.unit}，低于安全库存 ${e.safetyStock}${e.unit}，请及时补货。`,
      sourceKey: `stock.low:${e.movementId}`,
    }));
  }

  /** Source keys per recipient, as the message center's other senders do. */
  const notify = (drafts: Draft[]) => d.messages.notify(drafts.map((x) => ({ ...x, sourceKey: `${x.sourceKey}:${x.userId}` })));

  const offs = [
    ...(
      [
        'parts_request.created',
        'parts_request.approved',
        'parts_request.rejected',
        'parts_request.issued',
        'parts_request.cancelled',
        'parts_request.settled',
      ] as const
    ).map((name) => bus.subscribe(name, async (e: PartsRequestChanged) => notify(await partsRequest(e)))),
    bus.subscribe('stock.low', async (e: StockLow) => notify(await stockLow(e))),
    bus.subscribe('order.cancelled', async (e: OrderChanged) => {
      await d.requests.releaseForOrder(e.orderId, '工单已取消');
    }),
    bus.subscribe('order.released', async (e: OrderChanged) => {
      await d.requests.releaseForOrder(e.orderId, '工单已改派');
    }),
  ];
  return () => offs.forEach((off) => off());
}
