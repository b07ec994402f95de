import { realtime } from '../../../services/realtime';
import { deleteAccount } from '../../../services/users';
import type { ApiError } from '../../../services/request';

const BUSY_HINT = '请先完成或取消进行中的订单，等待提现到账、投诉处理完毕后再注销。';

/** 注销账号 (SPEC §5, PIPL): what is erased, what is kept, and the irreversible step behind a confirmation. */
Component({
  data: {
    reason: '',
    agreed: false,
    busy: false,
    error: '',
    blocked: '',
  },
  methods: {
    onReasonInput(e: WechatMiniprogram.Input): void {
      this.setData({ reason: e.detail.value });
    },
    onToggleAgree(): void {
      this.setData({ agreed: !this.data.agreed, error: '' });
    },
    onDelete(): void {
      if (this.data.busy) return;
      if (!this.data.agreed) {
        this.setData({ error: '请先勾选“我已了解注销后无法恢复”' });
        return;
      }
      wx.showModal({
        title: '确认注销账号？',
        content: '注销后资料、手机号和地址将被清除，账号无法恢复。',
        confirmText: '注销',
        confirmColor: '#fa5151',
        success: (res) => {
          if (res.confirm) void this.submit();
        },
      });
    },
    async submit(): Promise<void> {
      this.setData({ busy: true, error: '', blocked: '' });
      try {
        await deleteAccount(this.data.reason.trim() || undefined);
        realtime.disconnect();
        wx.showToast({ title: '账号已注销', icon: 'success' });
        wx.reLaunch({ url: '/pages/index/index' });
      } catch (err) {
        const e = err as ApiError;
        if (e.code === 'ACCOUNT_BUSY') this.setData({ blocked: `${e.message}。${BUSY_HINT}` });
        else this.setData({ error: e.message || '注销失败，请稍后重试' });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
