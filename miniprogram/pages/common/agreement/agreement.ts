import { CONSENT_VERSION } from '../../../utils/consent';

interface Doc {
  title: string;
  sections: { heading: string; body: string }[];
}

/** The texts a user consents to on first sign-in (version CONSENT_VERSION). */
export const DOCS: Record<'terms' | 'privacy', Doc> = {
  terms: {
    title: '用户协议',
    sections: [
      {
        heading: '服务内容',
        body: '本平台为用户与认证电工提供上门电路维修的信息撮合、派单、沟通、支付与售后服务。维修服务由接单电工提供。',
      },
      {
        heading: '下单与费用',
        body: '下单前展示上门费与预估费用；维修费用以电工上门后的报价、经你确认后为准。电工上门后取消只收上门费。',
      },
      { heading: '电工接单', body: '电工须通过实名与资质审核后接单，按约定时间上门，如实报价，不得私下收费。' },
      { heading: '评价与售后', body: '订单完成后可评价；对服务有异议可在订单中发起售后或投诉，平台在规定时间内处理。' },
      { heading: '账号', body: '你可在“我的 → 注销账号”中注销账号；有进行中的订单、提现或投诉时需先处理完毕。' },
    ],
  },
  privacy: {
    title: '隐私政策',
    sections: [
      {
        heading: '我们收集的信息',
        body: '微信身份标识（openid）、昵称与头像、手机号、下单地址与位置、故障描述与照片；电工另有实名、身份证号（加密保存）与资质照片。',
      },
      {
        heading: '使用目的',
        body: '位置用于查找附近电工和确定上门地址；手机号用于电工联系你；照片用于报价与售后。电工在接单前只看到脱敏的联系方式和大致位置。',
      },
      { heading: '共享', body: '只与接单电工共享完成服务所需的联系人、电话与地址；支付经微信支付完成，平台不保存你的支付凭证。' },
      {
        heading: '保存与删除',
        body: '注销账号后，资料、手机号、头像与地址簿被清除或匿名化；订单与支付记录依法匿名保留用于对账。',
      },
      { heading: '你的权利', body: '你可以在“我的”中查看、修改个人资料，撤回位置授权（小程序设置），或注销账号。' },
    ],
  },
};

Component({
  data: {
    title: '',
    sections: [] as Doc['sections'],
    version: CONSENT_VERSION,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>): void {
      const doc = DOCS[query.doc === 'privacy' ? 'privacy' : 'terms'];
      this.setData({ title: doc.title, sections: doc.sections });
      wx.setNavigationBarTitle({ title: doc.title });
    },
  },
});
