import { currentConfig } from './config/index';
import { resumeJobAlerts, startJobAlerts } from './services/job-alerts';
import { reportError } from './utils/field-log';

const env = currentConfig();

App<IAppOption>({
  globalData: {
    apiBase: env.apiBase,
    socketUrl: env.socketUrl,
  },
  onLaunch(): void {
    checkForUpdate();
    startJobAlerts();
  },
  onShow(): void {
    resumeJobAlerts();
  },
  onError(error: string): void {
    reportError('app.onError', error);
  },
  onUnhandledRejection(res: { reason: unknown }): void {
    reportError('app.onUnhandledRejection', res.reason);
  },
});

/** A new version downloaded in the background is applied after the user agrees (WeChat's update manager). */
function checkForUpdate(): void {
  if (typeof wx.getUpdateManager !== 'function') return;
  const manager = wx.getUpdateManager();
  manager.onUpdateReady(() => {
    wx.showModal({
      title: '发现新版本',
      content: '新版本已下载，重启小程序即可使用',
      confirmText: '立即重启',
      success: (res) => {
        if (res.confirm) manager.applyUpdate();
      },
    });
  });
  manager.onUpdateFailed(() => reportError('update', '新版本下载失败'));
}
