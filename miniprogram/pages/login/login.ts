import { currentConfig } from '../../config/index';
import { bindPhone, bindPhoneBySms, devLogin, sendSmsCode, wechatLogin, type LoginResult } from '../../services/auth';
import { session } from '../../stores/session';
import { AGREEMENT_PAGE, hasConsented, recordConsent } from '../../utils/consent';
import { isMobilePhone } from '../../utils/format';
import { goLanding, roleOf } from '../../utils/landing';

/** The API's seeded dev accounts (README); any other name signs in as a new customer. */
const DEV_ACCOUNTS = [
  { name: 'alice', text: 'alice · 用户' },
  { name: 'bob', text: 'bob · 用户' },
  { name: 'wang', text: 'wang · 电工' },
  { name: 'zhao', text: 'zhao · 电工' },
];
const CONSENT_NEEDED = '请先阅读并同意《用户协议》和《隐私政策》';

const SMS_COUNTDOWN_SECONDS = 60;
let countdownTimer: ReturnType<typeof setInterval> | null = null;

function stopCountdown(): void {
  if (countdownTimer !== null) clearInterval(countdownTimer);
  countdownTimer = null;
}

Component({
  data: {
    loggedIn: false,
    needPhone: false,
    busy: false,
    showSms: false,
    phoneNumber: '',
    verifyCode: '',
    countdown: 0,
    error: '',
    agreed: false,
    devSignIn: false,
    devAccounts: DEV_ACCOUNTS,
    devName: '',
  },
  lifetimes: {
    detached(): void {
      stopCountdown();
    },
  },
  methods: {
    onLoad(): void {
      const user = session.getUser();
      const loggedIn = session.isLoggedIn();
      this.setData({
        loggedIn,
        needPhone: loggedIn && Boolean(user) && !user?.hasPhone,
        agreed: hasConsented(),
        devSignIn: currentConfig().devSignIn,
      });
    },
    /** An electrician goes to the hall; a customer back to where the login was asked for, or home. */
    done(): void {
      const role = roleOf(session.getUser()?.userType);
      if (role === 'customer' && getCurrentPages().length > 1) wx.navigateBack({ delta: 1 });
      else goLanding(role);
    },
    onToggleAgree(): void {
      this.setData({ agreed: !this.data.agreed, error: '' });
    },
    onOpenAgreement(e: WechatMiniprogram.BaseEvent): void {
      wx.navigateTo({ url: `${AGREEMENT_PAGE}?doc=${String(e.currentTarget.dataset.doc)}` });
    },
    onWechatLogin(): Promise<void> {
      return this.signIn(() => wechatLogin());
    },
    onDevAccount(e: WechatMiniprogram.BaseEvent): Promise<void> {
      const name = String(e.currentTarget.dataset.name);
      return this.signIn(() => devLogin(name));
    },
    onDevNameInput(e: WechatMiniprogram.Input): void {
      this.setData({ devName: e.detail.value.trim() });
    },
    onDevNameLogin(): Promise<void> {
      return this.signIn(() => devLogin(this.data.devName));
    },
    async signIn(login: () => Promise<LoginResult>): Promise<void> {
      if (this.data.busy) return;
      if (!this.data.agreed) {
        this.setData({ error: CONSENT_NEEDED });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        const result = await login();
        recordConsent();
        if (result.user.hasPhone) {
          this.setData({ busy: false, loggedIn: true });
          this.done();
        } else {
          this.setData({ busy: false, loggedIn: true, needPhone: true });
        }
      } catch (err) {
        this.setData({ busy: false, error: (err as Error).message || '登录失败，请重试' });
      }
    },
    async onGetPhoneNumber(e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg: string }>): Promise<void> {
      const code = e.detail.code;
      if (!code) {
        // Declined, or not available for this account: fall back to an SMS code.
        this.setData({ showSms: true });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        await bindPhone(code);
        this.setData({ busy: false, needPhone: false });
        this.done();
      } catch (err) {
        this.setData({ busy: false, showSms: true, error: (err as Error).message });
      }
    },
    onUseSms(): void {
      this.setData({ showSms: true });
    },
    onPhoneInput(e: WechatMiniprogram.Input): void {
      this.setData({ phoneNumber: e.detail.value.trim() });
    },
    onCodeInput(e: WechatMiniprogram.Input): void {
      this.setData({ verifyCode: e.detail.value.trim() });
    },
    async onSendCode(): Promise<void> {
      if (this.data.countdown > 0 || this.data.busy) return;
      if (!isMobilePhone(this.data.phoneNumber)) {
        this.setData({ error: '请输入正确的手机号' });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        await sendSmsCode(this.data.phoneNumber);
        this.setData({ busy: false, countdown: SMS_COUNTDOWN_SECONDS });
        stopCountdown();
        countdownTimer = setInterval(() => {
          const next = this.data.countdown - 1;
          this.setData({ countdown: Math.max(next, 0) });
          if (next <= 0) stopCountdown();
        }, 1000);
      } catch (err) {
        this.setData({ busy: false, error: (err as Error).message });
      }
    },
    async onBindSms(): Promise<void> {
      if (this.data.busy) return;
      if (!isMobilePhone(this.data.phoneNumber)) {
        this.setData({ error: '请输入正确的手机号' });
        return;
      }
      if (!/^\d{6}$/.test(this.data.verifyCode)) {
        this.setData({ error: '验证码为 6 位数字' });
        return;
      }
      this.setData({ busy: true, error: '' });
      try {
        await bindPhoneBySms(this.data.phoneNumber, this.data.verifyCode);
        this.setData({ busy: false, needPhone: false });
        stopCountdown();
        this.done();
      } catch (err) {
        this.setData({ busy: false, error: (err as Error).message });
      }
    },
    onSkipPhone(): void {
      this.done();
    },
  },
});
