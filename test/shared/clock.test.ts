import { describe, expect, it } from 'vitest';
import { ConfigError, clockOf, loadConfig } from '../../src/config.js';
import { parseDuration, utcDate } from '../../src/shared/clock.js';

describe('the service clock', () => {
  it('when CLOCK_OFFSET is a duration of days, hours, minutes or seconds, then it is read exactly', () => {
    expect(parseDuration('P31D')).toBe(31 * 86_400_000);
    expect(parseDuration('PT36H')).toBe(36 * 3_600_000);
    expect(parseDuration('P1W2DT3H4M5.5S')).toBe((9 * 24 + 3) * 3_600_000 + 4 * 60_000 + 5_500);
  });

  it('when CLOCK_OFFSET is not such a duration, then it is refused', () => {
    for (const bad of ['P', 'PT', '31D', 'P1Y', 'P1M', 'P-1D', 'nonsense']) expect(parseDuration(bad)).toBeNull();
    expect(() => loadConfig({ CLOCK_OFFSET: 'P1Y' })).toThrow(ConfigError);
  });

  it('when NODE_ENV is production, then any CLOCK_OFFSET is refused at boot', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), CLOCK_OFFSET: 'P1D' })).toThrow(
      /CLOCK_OFFSET is refused/,
    );
  });

  it('when CLOCK_OFFSET is P31D, then the clock reads 31 days ahead of the system clock', () => {
    const before = Date.now();
    const now = clockOf(loadConfig({ CLOCK_OFFSET: 'P31D' }))
      .now()
      .getTime();
    expect(now - before).toBeGreaterThanOrEqual(31 * 86_400_000);
    expect(now - before).toBeLessThan(31 * 86_400_000 + 5_000);
    expect(utcDate(new Date('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
  });
});
