import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/core/time.js';

describe('durations', () => {
  it('parses units into integer microseconds', () => {
    expect(parseDuration('250us')).toBe(250);
    expect(parseDuration('1.5ms')).toBe(1500);
    expect(parseDuration('2s')).toBe(2_000_000);
    expect(parseDuration('1m')).toBe(60_000_000);
    expect(parseDuration(20)).toBe(20_000);
    expect(parseDuration('20')).toBe(20_000);
  });
  it('rejects what it cannot read', () => {
    expect(parseDuration('2 parsecs')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
    expect(parseDuration(Number.NaN)).toBeUndefined();
  });
  it('formats compactly', () => {
    expect(formatDuration(1_234_000)).toBe('1.234s');
    expect(formatDuration(12_500)).toBe('12.5ms');
    expect(formatDuration(800)).toBe('800us');
  });
});
