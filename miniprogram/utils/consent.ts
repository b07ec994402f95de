/** The user agreement and privacy policy version a user consented to (first sign-in). */
export const CONSENT_VERSION = '2026-12';
const KEY = 'consent.version';

export function hasConsented(): boolean {
  try {
    return wx.getStorageSync(KEY) === CONSENT_VERSION;
  } catch {
    return false;
  }
}

export function recordConsent(): void {
  wx.setStorageSync(KEY, CONSENT_VERSION);
}

export const AGREEMENT_PAGE = '/pages/common/agreement/agreement';
