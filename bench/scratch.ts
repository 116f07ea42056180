/** A ~1 KB text value, as written twice per transaction by ceilings A and C. */
export const KB = 'x'.repeat(1024);

/** The table ceilings A and C write to, in a database of their own. */
export const SCRATCH_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_scratch (
  id BIGSERIAL PRIMARY KEY, k TEXT NOT NULL, payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`;
