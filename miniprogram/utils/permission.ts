/**
 * Failed wx permission-bound calls (getLocation, chooseLocation, chooseMedia): a cancel is silent,
 * a refused permission leads to the settings page (wx.openSetting, the only way back once the
 * user said no), anything else is shown.
 */
export function isCancel(errMsg: string | undefined): boolean {
  return /cancel/i.test(errMsg ?? '');
}

export function isDenied(errMsg: string | undefined): boolean {
  return /auth den|auth deny|authorize|permission|privacy/i.test(errMsg ?? '');
}

/** Opens the mini-program's settings; resolves with whether `scope` is granted afterwards. */
export function openSetting(scope: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.openSetting({
      success: (res) => resolve(Boolean((res.authSetting as Record<string, boolean | undefined>)[scope])),
      fail: () => resolve(false),
    });
  });
}

/** Explains what is missing and offers 去设置; resolves with whether `scope` is granted afterwards. */
export function askForSetting(scope: string, what: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: `需要${what}权限`,
      content: `你已拒绝${what}权限，请在设置中开启后重试`,
      confirmText: '去设置',
      success: (res) => {
        if (res.confirm) void openSetting(scope).then(resolve);
        else resolve(false);
      },
      fail: () => resolve(false),
    });
  });
}

/** Shows why a permission-bound call failed (not for cancels or refusals, which the callers handle). */
export function showFailure(what: string, errMsg: string | undefined): void {
  wx.showToast({ title: `${what}失败：${(errMsg ?? '').replace(/^\w+:fail\s*/, '') || '请重试'}`, icon: 'none' });
}
