-- Loyalty reversals and expiry: program validity, lots (the balance is the sum of what remains in them),
-- which lots each redemption took from, reversal and expiry ledger entries.

ALTER TABLE loyalty_programs
  ADD COLUMN points_validity_days INTEGER CHECK (points_validity_days BETWEEN 1 AND 3650),
  ADD COLUMN expiry_notice_days   INTEGER NOT NULL DEFAULT 30 CHECK (expiry_notice_days BETWEEN 0 AND 365);

ALTER TABLE loyalty_transactions DROP CONSTRAINT loyalty_transactions_type_check;
ALTER TABLE loyalty_transactions
  ADD CONSTRAINT loyalty_transactions_type_check CHECK (type IN ('earn', 'redeem', 'reversal', 'expiry')),
  -- reversal entries: the entry they reverse, and the part of `points` that could not be taken from the balance
  ADD COLUMN reversed_transaction_id TEXT,
  ADD COLUMN unrecovered_points      BIGINT CHECK (unrecovered_points >= 0),
  -- earn and redeem entries: points reversed so far by all their reversals together
  ADD COLUMN points_reversed         BIGINT NOT NULL DEFAULT 0,
  ADD CONSTRAINT loyalty_transactions_reversed_within CHECK (points_reversed BETWEEN 0 AND points),
  ADD CONSTRAINT loyalty_transactions_reversal_target CHECK ((type = 'reversal') = (reversed_transaction_id IS NOT NULL));

-- One lot per earn (transaction_id null for the lot an existing balance migrated into).
CREATE TABLE loyalty_lots (
  lot_id          BIGSERIAL   PRIMARY KEY,
  organization_id TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  transaction_id  TEXT,
  points          BIGINT      NOT NULL CHECK (points >= 0),
  remaining       BIGINT      NOT NULL CHECK (remaining >= 0),
  earned_at       TIMESTAMPTZ NOT NULL,
  expires_at      TIMESTAMPTZ,
  -- when the lot was announced as expiring (loyalty.points.expiring); null until then
  announced_at    TIMESTAMPTZ,
  FOREIGN KEY (organization_id, customer_id) REFERENCES loyalty_accounts (organization_id, customer_id)
);
CREATE INDEX loyalty_lots_customer_idx ON loyalty_lots (organization_id, customer_id) WHERE remaining > 0;
CREATE INDEX loyalty_lots_expiry_idx ON loyalty_lots (expires_at) WHERE remaining > 0 AND expires_at IS NOT NULL;
CREATE UNIQUE INDEX loyalty_lots_earn_key ON loyalty_lots (organization_id, transaction_id)
  WHERE transaction_id IS NOT NULL;

-- What each redemption took from which lot, and how much of it a reversal has given back.
CREATE TABLE loyalty_redemption_lots (
  organization_id TEXT   NOT NULL,
  transaction_id  TEXT   NOT NULL,
  lot_id          BIGINT NOT NULL REFERENCES loyalty_lots (lot_id),
  points          BIGINT NOT NULL CHECK (points > 0),
  returned        BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (organization_id, transaction_id, lot_id),
  CHECK (returned BETWEEN 0 AND points)
);

-- Existing balances become one never-expiring lot each.
INSERT INTO loyalty_lots (organization_id, customer_id, transaction_id, points, remaining, earned_at, expires_at)
SELECT organization_id, customer_id, NULL, points_balance, points_balance, created_at, NULL
  FROM loyalty_accounts WHERE points_balance > 0;
