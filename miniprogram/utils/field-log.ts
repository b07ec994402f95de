/**
 * Field errors go to WeChat's realtime log (小程序管理后台 → 开发管理 → 运维中心 → 实时日志), where
 * they can be searched by page and time; the console keeps them in DevTools.
 */
type RealtimeLog = Pick<WechatMiniprogram.RealtimeLogManager, 'error' | 'warn' | 'setFilterMsg'>;

function logger(): RealtimeLog | null {
  try {
    return typeof wx.getRealtimeLogManager === 'function' ? wx.getRealtimeLogManager() : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ''}`;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

export function reportError(where: string, error: unknown): void {
  const text = describe(error);
  const log = logger();
  if (log) {
    log.setFilterMsg(where);
    log.error(where, text);
  }
  console.error(`[${where}]`, text);
}

export function reportWarning(where: string, message: string): void {
  logger()?.warn(where, message);
}
