-- Credit usage cancellation: a usage with no payment allocated may be cancelled (by a credit manager, or because
-- its order was cancelled); its amount returns to the available credit. A cancelled usage is never paid, never
-- overdue, and counts in no statement or aging. It stays as a financial record, with when, who and why.
-- Standalone: it depends on 0005 (amount_paid_cents, the unpaid indexes) and on nothing after 0006.

ALTER TABLE credit_usages ADD COLUMN cancelled_at TIMESTAMPTZ;
-- The token's sub of who cancelled, or the consumer that applied an order.cancelled.
ALTER TABLE credit_usages ADD COLUMN cancelled_by TEXT;
ALTER TABLE credit_usages ADD COLUMN cancellation_reason TEXT;
-- All three together or none; a cancelled usage never carries a payment (nor receives one later).
ALTER TABLE credit_usages ADD CONSTRAINT credit_usages_cancellation_check
  CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL)
     AND (cancelled_at IS NULL) = (cancellation_reason IS NULL)
     AND (cancelled_at IS NULL OR amount_paid_cents = 0));

-- The unpaid indexes serve allocation and the overdue run, which skip cancelled usages.
DROP INDEX credit_usages_unpaid_idx;
DROP INDEX credit_usages_unpaid_due_idx;
CREATE INDEX credit_usages_unpaid_idx ON credit_usages (organization_id, customer_id, due_date, seq)
  WHERE amount_paid_cents < amount_cents AND cancelled_at IS NULL;
CREATE INDEX credit_usages_unpaid_due_idx ON credit_usages (due_date)
  WHERE amount_paid_cents < amount_cents AND cancelled_at IS NULL;
