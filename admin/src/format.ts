import { ElMessage, ElMessageBox } from 'element-plus';
import { ApiError } from './api/http';

/** Fen as yuan with two decimals: the only money formatter of the console. */
export const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '—' : `¥${(fen / 100).toFixed(2)}`);

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
export const time = (iso: string | null | undefined) => (iso ? timeFormat.format(new Date(iso)) : '—');

/** Today's date in Beijing as YYYY-MM-DD, shifted by `days`. */
export function beijingDate(days = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

export const ORDER_STATUS: Record<string, { label: string; type: 'info' | 'warning' | 'success' | 'danger' | 'primary' }> = {
  pending: { label: '待接单', type: 'warning' },
  accepted: { label: '已接单', type: 'primary' },
  arrived: { label: '已到达', type: 'primary' },
  quoted: { label: '已报价', type: 'primary' },
  in_progress: { label: '维修中', type: 'primary' },
  completed: { label: '已完成', type: 'success' },
  cancelled: { label: '已取消', type: 'info' },
  expired: { label: '已过期', type: 'info' },
};

export const ORDER_ACTION: Record<string, string> = {
  create: '下单',
  grab: '抢单',
  dispatch_accept: '接受派单',
  assign: '客服指派',
  unassign: '取消指派',
  release: '电工退单',
  arrive: '到场签到',
  quote: '报价',
  quote_reject: '拒绝报价',
  quote_accept: '接受报价',
  complete: '完工',
  cancel: '取消',
  expire: '过期',
  pay: '支付',
  refund: '退款',
  rework: '返工',
  parts_requested: '申请配件',
  parts_approved: '批准配件',
  parts_rejected: '驳回配件',
  parts_issued: '发放配件',
  parts_cancelled: '撤回配件申请',
  parts_settled: '登记配件用量',
};

export const FAULT_TYPE: Record<string, string> = {
  circuit: '线路故障',
  appliance: '电器维修',
  lighting: '灯具照明',
  installation: '安装',
  maintenance: '检修保养',
  emergency: '紧急抢修',
  other: '其他',
};
export const ACTOR_ROLE: Record<string, string> = {
  customer: '客户',
  user: '客户',
  electrician: '电工',
  admin: '客服',
  system: '系统',
};

export const PAYMENT_STATUS: Record<string, string> = {
  unpaid: '未支付',
  pending: '待支付',
  paid: '已支付',
  closed: '已关闭',
  failed: '失败',
  refunded: '已退款',
  partial_refund: '部分退款',
};
export const REFUND_STATUS: Record<string, string> = {
  processing: '退款中',
  success: '退款成功',
  abnormal: '退款异常',
  closed: '已关闭',
};
export const SETTLEMENT_STATUS: Record<string, string> = { pending: '待结算', settled: '已结算' };

export const COMPLAINT_TYPE: Record<string, string> = {
  quality: '维修质量',
  service: '服务态度',
  price: '价格争议',
  other: '其他',
};
export const COMPLAINT_LEVEL: Record<string, { label: string; type: 'info' | 'warning' | 'danger' }> = {
  normal: { label: '一般', type: 'info' },
  serious: { label: '严重', type: 'warning' },
  critical: { label: '紧急', type: 'danger' },
};
export const COMPLAINT_STATUS: Record<string, string> = {
  open: '待处理',
  processing: '处理中',
  resolved: '已解决',
  rejected: '已驳回',
};
export const COMPLAINT_OUTCOME: Record<string, string> = { rework: '返工', refund: '退款', compensate: '补偿', reject: '驳回' };
export const COMPLAINT_ACTION: Record<string, string> = {
  open: '提交投诉',
  message: '用户补充',
  reply: '客服回复',
  escalate: '升级',
  resolve: '处理完成',
};

export const VERIFICATION: Record<string, { label: string; type: 'warning' | 'success' | 'danger' }> = {
  pending: { label: '待审核', type: 'warning' },
  approved: { label: '已认证', type: 'success' },
  rejected: { label: '已驳回', type: 'danger' },
};
/** How a staff action ended; `pending` left over means the server stopped during it: check the target. */
export const AUDIT_OUTCOME: Record<string, { label: string; type: 'warning' | 'success' | 'danger'; hint: string }> = {
  succeeded: { label: '成功', type: 'success', hint: '操作已完成' },
  failed: { label: '失败', type: 'danger', hint: '操作被拒绝或出错，未生效' },
  pending: { label: '未知', type: 'warning', hint: '已发起，结果未知（处理中或服务中断），请核对操作对象' },
};
/** The knowledge base's sections (the mini-program names them the same). */
export const FAQ_CATEGORY: Record<string, string> = {
  order: '下单与上门',
  fee: '费用',
  payment: '支付与退款',
  invoice: '发票',
  after_sales: '售后与保修',
  account: '账号与隐私',
  electrician: '电工入驻',
  other: '其他',
};
export const WORK_STATUS: Record<string, string> = { available: '接单中', busy: '忙碌', offline: '离线' };
export const CERTIFICATE_TYPE: Record<string, string> = {
  low_voltage: '低压电工证',
  high_voltage: '高压电工证',
  special: '特种作业证',
};

/** Runs an action, shows the API's Chinese message on failure and `done` on success. */
export async function run<T>(action: () => Promise<T>, done?: string): Promise<T | undefined> {
  try {
    const result = await action();
    if (done) ElMessage.success(done);
    return result;
  } catch (err) {
    if (err === 'cancel' || err === 'close') return undefined;
    ElMessage.error(err instanceof ApiError || err instanceof Error ? err.message : '操作失败');
    return undefined;
  }
}

/** Asks for a reason (required, 2–200 characters); undefined when cancelled. */
export async function askReason(title: string, placeholder = '请输入原因'): Promise<string | undefined> {
  try {
    const { value } = await ElMessageBox.prompt(placeholder, title, {
      confirmButtonText: '确定',
      cancelButtonText: '取消',
      inputValidator: (v: string) => (v && v.trim().length >= 2 && v.trim().length <= 200) || '请填写 2–200 字',
    });
    return value.trim();
  } catch {
    return undefined;
  }
}
