import { describe, expect, it } from 'vitest';
import { fenToYuan, formatMoney } from '../money';
import { formatTime, isMobilePhone, orderStatusText } from '../format';

describe('money', () => {
  it('when given fen, then it shows yuan with two decimals', () => {
    expect(fenToYuan(1250)).toBe('12.50');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(100000)).toBe('1000.00');
    expect(formatMoney(3000)).toBe('¥30.00');
    expect(formatMoney(1)).toBe('¥0.01');
  });

  it('when the amount is negative or fractional, then it is still exact', () => {
    expect(formatMoney(-1250)).toBe('-¥12.50');
    expect(fenToYuan(1999.6)).toBe('20.00');
    expect(fenToYuan(29)).toBe('0.29');
  });
});

describe('format', () => {
  it('when given a UTC time, then it shows MM-DD HH:mm in China time', () => {
    expect(formatTime('2026-11-22T03:05:00.000Z')).toBe('11-22 11:05');
    expect(formatTime('2026-12-31T16:30:00Z')).toBe('01-01 00:30');
    expect(formatTime(null)).toBe('');
    expect(formatTime('not a time')).toBe('');
  });

  it('when given an order status, then it shows the Chinese text', () => {
    expect(
      ['pending', 'accepted', 'arrived', 'quoted', 'in_progress', 'completed', 'cancelled', 'expired'].map(orderStatusText),
    ).toEqual(['待接单', '已接单', '已上门', '待确认报价', '维修中', '已完成', '已取消', '已过期']);
    expect(orderStatusText('unknown')).toBe('unknown');
  });

  it('when checking a phone number, then it follows the API rule', () => {
    expect(isMobilePhone('13800138000')).toBe(true);
    expect(isMobilePhone('12800138000')).toBe(false);
    expect(isMobilePhone('1380013800')).toBe(false);
  });
});
