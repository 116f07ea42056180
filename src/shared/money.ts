/** Money is stored as integer cents and shown as a JSON number of currency units. */

/** Every money amount a request carries is below this (currency units): its cents stay exact in a JS number. */
export const MONEY_BELOW = 1_000_000_000_000;

/** Integer cents → currency units (500000 → 5000). */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** Currency units → integer cents. Amounts have at most 2 decimals (the `money` schema keyword), so this is exact. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function hasAtMostTwoDecimals(n: number): boolean {
  return Number.isFinite(n) && /^-?\d+(\.\d{1,2})?$/.test(String(n));
}
