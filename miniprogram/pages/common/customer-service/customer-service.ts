import { customerService } from '../../../services/chat';

/** Opens (creating once) the customer-service conversation, then hands over to the chat page. */
Component({
  data: {
    loading: true,
    error: '',
  },
  methods: {
    onLoad(): void {
      void this.open();
    },
    async open(): Promise<void> {
      this.setData({ loading: true, error: '' });
      try {
        const conversation = await customerService();
        this.setData({ loading: false });
        wx.redirectTo({
          url: `/pages/common/chat/chat?conversationId=${conversation.id}&service=1&title=${encodeURIComponent('在线客服')}`,
        });
      } catch (err) {
        this.setData({ loading: false, error: (err as Error).message });
      }
    },
  },
});
