/**
 * Build-time settings of the mini-program. Subscribe-message template ids come from the WeChat
 * admin console (订阅消息 → 我的模板) and must match the API's WECHAT_SUBSCRIBE_TEMPLATES; while
 * the list is empty, pages skip wx.requestSubscribeMessage.
 */
export const config = {
  subscribeTemplates: {
    /** Asked for right after an order is submitted (accepted, quoted, completed…; at most 3). */
    order: [] as string[],
  },
};
