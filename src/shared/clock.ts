/**
 * The one clock of the service. Every business "now" (timestamps in answers and events, due dates, expiry, overdue)
 * comes from here; SQL never decides "now" for business rules. `CLOCK_OFFSET` shifts it forward outside production,
 * for demos and tests of time-driven behaviour.
 */
export interface Clock {
  now(): Date;
}

/** The system clock, shifted forward by `offsetMs`. */
export function systemClock(offsetMs = 0): Clock {
  return { now: () => new Date(Date.now() + offsetMs) };
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Milliseconds of an ISO 8601 duration made of weeks, days, hours, minutes and seconds (`P31D`, `PT36H`,
 * `P1DT12H`). Years and months are refused: their length depends on the date. Returns null when not a duration.
 */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const [, w, d, h, min, s] = m;
  const days = Number(w ?? 0) * 7 + Number(d ?? 0);
  return ((days * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Math.round(Number(s ?? 0) * 1000);
}

/** The UTC calendar date (`YYYY-MM-DD`) of an instant. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
