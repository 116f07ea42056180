-- Personal data (Law 81 of 2019): customers can be anonymized; anonymization forfeits their points.

-- Customers gain a status. Every existing customer is active.
ALTER TABLE customers ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
  CONSTRAINT customers_status_check CHECK (status IN ('active', 'anonymized'));
-- An anonymized customer has neither email nor phone; an active one keeps at least one of them.
ALTER TABLE customers DROP CONSTRAINT customers_check;
ALTER TABLE customers ADD CONSTRAINT customers_contact_check
  CHECK (status = 'anonymized' OR email IS NOT NULL OR phone IS NOT NULL);

-- The ledger accepts forfeiture entries (points still on the account when its customer is anonymized). The list
-- is the union of every ledger type, so it merges with the migration that adds reversal and expiry.
ALTER TABLE loyalty_transactions DROP CONSTRAINT IF EXISTS loyalty_transactions_type_check;
ALTER TABLE loyalty_transactions ADD CONSTRAINT loyalty_transactions_type_check
  CHECK (type IN ('earn', 'redeem', 'reversal', 'expiry', 'forfeiture'));

-- One row per anonymization: when, who, why and how many points were forfeited. It holds no personal data of the
-- customer (the reason is the officer's note, limited to 200 characters).
CREATE TABLE customer_anonymizations (
  organization_id  TEXT        NOT NULL,
  customer_id      TEXT        NOT NULL,
  reason           TEXT,
  actor            TEXT        NOT NULL,
  points_forfeited BIGINT      NOT NULL CHECK (points_forfeited >= 0),
  anonymized_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, customer_id),
  FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, customer_id)
);
