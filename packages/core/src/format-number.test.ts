import { describe, expect, it } from 'vitest';
import { formatNumber, formatValue } from './format-number.ts';

describe('formatNumber', () => {
  it('gives 4 significant digits, never float noise', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(0.94166666666)).toBe('0.9417');
    expect(formatNumber(1234.5678)).toBe('1235');
    expect(formatNumber(2.5e-5)).toBe('2.5e-5');
    expect(formatNumber(1e-5)).toBe('1e-5');
    expect(formatNumber(123456)).toBe('1.235e+5');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(0.00123456, 2)).toBe('0.0012');
  });

  it('labels swept values', () => {
    expect(formatValue(1e-4)).toBe('1e-4');
    expect(formatValue('2ep')).toBe('2ep');
    expect(formatValue([16, 16])).toBe('[16,16]');
  });
});
