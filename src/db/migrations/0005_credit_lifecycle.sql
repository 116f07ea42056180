-- Credit lifecycle: payments allocated to usages (earliest due date first, then oldest), usages announced overdue
-- once, accounts on hold (for overdue or by hand). Existing payments are allocated here, in the order they came.

ALTER TABLE credit_accounts ADD COLUMN seq BIGSERIAL;
ALTER TABLE credit_accounts ADD COLUMN hold_reason TEXT;
ALTER TABLE credit_accounts ADD COLUMN hold_note TEXT;
ALTER TABLE credit_accounts ADD CONSTRAINT credit_accounts_status_check CHECK (status IN ('active', 'on_hold'));
ALTER TABLE credit_accounts ADD CONSTRAINT credit_accounts_hold_check
  CHECK ((status = 'on_hold') = (hold_reason IS NOT NULL) AND hold_reason IN ('overdue', 'manual'));
CREATE INDEX credit_accounts_seq_idx ON credit_accounts (organization_id, seq);

ALTER TABLE credit_usages ADD COLUMN amount_paid_cents BIGINT NOT NULL DEFAULT 0;
-- Set by the overdue run that announced the usage (credit.overdue): each usage is announced once.
ALTER TABLE credit_usages ADD COLUMN overdue_announced_at TIMESTAMPTZ;
ALTER TABLE credit_usages ADD CONSTRAINT credit_usages_paid_check
  CHECK (amount_paid_cents >= 0 AND amount_paid_cents <= amount_cents);
CREATE INDEX credit_usages_unpaid_idx ON credit_usages (organization_id, customer_id, due_date, seq)
  WHERE amount_paid_cents < amount_cents;
CREATE INDEX credit_usages_unpaid_due_idx ON credit_usages (due_date) WHERE amount_paid_cents < amount_cents;

-- Which usages each payment settled, and how much of each: aging as of a past date reads it.
CREATE TABLE credit_allocations (
  organization_id TEXT        NOT NULL,
  payment_id      TEXT        NOT NULL,
  usage_id        TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  amount_cents    BIGINT      NOT NULL CHECK (amount_cents > 0),
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, payment_id, usage_id)
);
CREATE INDEX credit_allocations_usage_idx ON credit_allocations (organization_id, usage_id);

-- Today's payments, allocated in the order they were received to the usages that existed then.
DO $$
DECLARE
  p RECORD;
  u RECORD;
  left_cents BIGINT;
  take BIGINT;
  pass INTEGER;
BEGIN
  FOR p IN SELECT organization_id, payment_id, customer_id, amount_cents, created_at
             FROM credit_payments ORDER BY seq LOOP
    left_cents := p.amount_cents;
    -- Pass 1: usages made before the payment; pass 2 (never needed when the data is consistent): any usage.
    FOR pass IN 1..2 LOOP
      FOR u IN SELECT usage_id, amount_cents - amount_paid_cents AS remaining
                 FROM credit_usages
                WHERE organization_id = p.organization_id AND customer_id = p.customer_id
                  AND amount_paid_cents < amount_cents AND (pass = 2 OR created_at <= p.created_at)
                ORDER BY due_date, seq LOOP
        EXIT WHEN left_cents = 0;
        take := LEAST(left_cents, u.remaining);
        UPDATE credit_usages SET amount_paid_cents = amount_paid_cents + take
         WHERE organization_id = p.organization_id AND usage_id = u.usage_id;
        INSERT INTO credit_allocations (organization_id, payment_id, usage_id, customer_id, amount_cents, created_at)
        VALUES (p.organization_id, p.payment_id, u.usage_id, p.customer_id, take, p.created_at);
        left_cents := left_cents - take;
      END LOOP;
    END LOOP;
  END LOOP;
END
$$;
