/** Money arrives from the API as integer fen; it is shown as yuan with two decimals, formatted only here. */
export function fenToYuan(fen: number): string {
  const value = Math.round(Number(fen) || 0);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}

/** '¥12.50' for 1250 fen. */
export function formatMoney(fen: number): string {
  const text = fenToYuan(fen);
  return text.startsWith('-') ? `-¥${text.slice(1)}` : `¥${text}`;
}

/** Yuan typed by a person ('12', '12.5', '12.50') → integer fen; null when it is not an amount. */
export function parseYuan(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
