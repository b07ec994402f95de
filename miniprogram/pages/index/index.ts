Component({
  data: {
    title: '电工维修平台',
    tagline: '家庭电路故障，附近认证电工上门维修',
  },
  methods: {
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      return {
        title: '电工维修平台 · 附近认证电工上门维修',
        path: '/pages/index/index',
      };
    },
  },
});
