/**
 * Per-environment settings, chosen by the build WeChat runs (wx.getAccountInfoSync().miniProgram.envVersion):
 * `develop` (DevTools and 开发版), `trial` (体验版), `release` (正式版).
 *
 * Subscribe-message template ids come from the WeChat admin console (订阅消息 → 我的模板). Each id must
 * be the `templateId` of the same purpose in the API's WECHAT_SUBSCRIBE_TEMPLATES (README), or WeChat
 * shows the prompt but the API sends with another template and the message is refused. Empty ids are
 * skipped; when none are left, pages do not call wx.requestSubscribeMessage.
 */
export type EnvVersion = 'develop' | 'trial' | 'release';

/** The purposes the mini-program asks for: the API's SUBSCRIBE_TEMPLATE_KEYS. */
export type SubscribePurpose =
  | 'orderAccepted'
  | 'electricianArrived'
  | 'quoteReady'
  | 'orderCompleted'
  | 'paymentSuccess'
  | 'orderCancelled'
  | 'verificationResult'
  | 'complaintUpdate'
  | 'newOrder'
  | 'dispatchOffer';

export interface EnvConfig {
  envVersion: EnvVersion;
  /** REST base, without a trailing slash (HTTPS and a registered request domain outside develop). */
  apiBase: string;
  /** Socket.IO base (ws:// or wss://, a registered socket domain outside develop). */
  socketUrl: string;
  /** The dev account picker on the login page (dev-<name> codes, answered by the API's dev WeChat mode). */
  devSignIn: boolean;
  subscribeTemplates: Record<SubscribePurpose, string>;
}

const NO_TEMPLATES: Record<SubscribePurpose, string> = {
  orderAccepted: '',
  electricianArrived: '',
  quoteReady: '',
  orderCompleted: '',
  paymentSuccess: '',
  orderCancelled: '',
  verificationResult: '',
  complaintUpdate: '',
  newOrder: '',
  dispatchOffer: '',
};

export const ENVIRONMENTS: Record<EnvVersion, Omit<EnvConfig, 'envVersion'>> = {
  // A local `npm start` (dev WeChat mode: no WECHAT_APPID). On a phone, use the computer's LAN address
  // and start the API with HOST=0.0.0.0.
  develop: {
    apiBase: 'http://127.0.0.1:3000',
    socketUrl: 'ws://127.0.0.1:3000',
    devSignIn: true,
    subscribeTemplates: { ...NO_TEMPLATES },
  },
  trial: {
    apiBase: 'https://api-staging.example.com',
    socketUrl: 'wss://api-staging.example.com',
    devSignIn: false,
    subscribeTemplates: { ...NO_TEMPLATES },
  },
  release: {
    apiBase: 'https://api.example.com',
    socketUrl: 'wss://api.example.com',
    devSignIn: false,
    subscribeTemplates: { ...NO_TEMPLATES },
  },
};

/** The running build; 'release' when WeChat cannot say (never show dev sign-in by mistake). */
export function envVersion(): EnvVersion {
  try {
    const v = wx.getAccountInfoSync().miniProgram.envVersion as string;
    return v === 'develop' || v === 'trial' ? v : 'release';
  } catch {
    return 'release';
  }
}

export function currentConfig(): EnvConfig {
  const env = envVersion();
  return { envVersion: env, ...ENVIRONMENTS[env] };
}

/** The configured template ids for these purposes (at most 3 per prompt, as WeChat allows). */
export function subscribeTemplateIds(purposes: SubscribePurpose[]): string[] {
  const templates = currentConfig().subscribeTemplates;
  return [...new Set(purposes.map((p) => templates[p]).filter(Boolean))].slice(0, 3);
}

/** What the customer is asked for, per moment (SPEC §5). */
export const SUBSCRIBE_MOMENTS = {
  /** After submitting an order. */
  orderSubmitted: ['orderAccepted', 'quoteReady', 'orderCompleted'],
  /** Before paying. */
  beforePaying: ['paymentSuccess', 'orderCompleted', 'orderCancelled'],
  /**
   * An electrician going online: new orders nearby and dispatch offers reach them in WeChat while the
   * app is closed (with it open they arrive over the socket), and a taken order's cancellation.
   */
  electricianOnline: ['newOrder', 'dispatchOffer', 'orderCancelled'],
  /** Submitting an electrician application. */
  application: ['verificationResult'],
} satisfies Record<string, SubscribePurpose[]>;
