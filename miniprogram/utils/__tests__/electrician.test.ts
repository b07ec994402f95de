import { describe, expect, it } from 'vitest';
import { distanceText } from '../electrician';
import { parseYuan } from '../money';

describe('electrician utils', () => {
  it('when yuan is typed, then it becomes exact fen; anything else is refused', () => {
    expect(parseYuan('12')).toBe(1200);
    expect(parseYuan(' 12.5 ')).toBe(1250);
    expect(parseYuan('0.07')).toBe(7);
    expect(parseYuan('45.50')).toBe(4550);
    for (const bad of ['', '12.345', '-1', '1e3', '¥12', '12.', '.5', '12,5']) expect(parseYuan(bad)).toBeNull();
  });

  it('when a distance is shown, then under a kilometre it is in metres, else kilometres with one decimal', () => {
    expect(distanceText(0.35)).toBe('350 米');
    expect(distanceText(1.14)).toBe('1.1 公里');
    expect(distanceText(null)).toBe('');
  });
});
