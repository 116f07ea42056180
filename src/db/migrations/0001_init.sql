-- Customers, loyalty ledger, credit accounts, idempotency keys and the transactional outbox.
-- Every table is scoped by organization_id; every query filters by it.

CREATE TABLE customers (
  seq            BIGSERIAL   NOT NULL UNIQUE,
  organization_id TEXT       NOT NULL,
  customer_id    TEXT        NOT NULL,
  customer_type  TEXT        NOT NULL CHECK (customer_type IN ('b2c', 'b2b')),
  name           TEXT        NOT NULL,
  email          TEXT,
  phone          TEXT,
  phone_digits   TEXT,
  tax_id         TEXT,
  created_at     TIMESTAMPTZ NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, customer_id),
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE UNIQUE INDEX customers_email_key ON customers (organization_id, lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX customers_phone_key ON customers (organization_id, phone_digits) WHERE phone_digits IS NOT NULL;
CREATE INDEX customers_list_idx ON customers (organization_id, seq);

CREATE TABLE loyalty_programs (
  organization_id                 TEXT PRIMARY KEY,
  earn_points_per_currency_unit   INTEGER NOT NULL CHECK (earn_points_per_currency_unit > 0),
  redeem_points_per_currency_unit INTEGER NOT NULL CHECK (redeem_points_per_currency_unit > 0),
  tiers                           JSONB   NOT NULL,
  updated_at                      TIMESTAMPTZ NOT NULL
);

-- points_balance and lifetime_points are a cache of the ledger, updated in the same transaction as each entry.
CREATE TABLE loyalty_accounts (
  organization_id TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  points_balance  BIGINT      NOT NULL DEFAULT 0 CHECK (points_balance >= 0),
  lifetime_points BIGINT      NOT NULL DEFAULT 0 CHECK (lifetime_points >= 0),
  tier            TEXT        NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, customer_id),
  FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, customer_id)
);

CREATE TABLE loyalty_transactions (
  seq             BIGSERIAL   NOT NULL UNIQUE,
  organization_id TEXT        NOT NULL,
  transaction_id  TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  type            TEXT        NOT NULL CHECK (type IN ('earn', 'redeem')),
  points          BIGINT      NOT NULL CHECK (points > 0),
  points_balance  BIGINT      NOT NULL CHECK (points_balance >= 0),
  reference_type  TEXT,
  reference_id    TEXT,
  actor           TEXT        NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, transaction_id),
  FOREIGN KEY (organization_id, customer_id) REFERENCES loyalty_accounts (organization_id, customer_id)
);
CREATE UNIQUE INDEX loyalty_earn_reference_key ON loyalty_transactions (organization_id, reference_type, reference_id)
  WHERE type = 'earn';
CREATE INDEX loyalty_transactions_customer_idx ON loyalty_transactions (organization_id, customer_id, seq DESC);

-- Money is integer cents everywhere.
CREATE TABLE credit_accounts (
  organization_id    TEXT        NOT NULL,
  credit_account_id  TEXT        NOT NULL,
  customer_id        TEXT        NOT NULL,
  credit_limit_cents BIGINT      NOT NULL CHECK (credit_limit_cents > 0),
  outstanding_cents  BIGINT      NOT NULL DEFAULT 0 CHECK (outstanding_cents >= 0),
  payment_term_days  INTEGER     NOT NULL CHECK (payment_term_days BETWEEN 0 AND 365),
  approved_by        TEXT        NOT NULL,
  status             TEXT        NOT NULL DEFAULT 'active',
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, customer_id),
  UNIQUE (organization_id, credit_account_id),
  FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, customer_id),
  CHECK (outstanding_cents <= credit_limit_cents)
);

CREATE TABLE credit_usages (
  seq             BIGSERIAL   NOT NULL UNIQUE,
  organization_id TEXT        NOT NULL,
  usage_id        TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  order_id        TEXT        NOT NULL,
  amount_cents    BIGINT      NOT NULL CHECK (amount_cents > 0),
  available_after_cents BIGINT NOT NULL,
  due_date        DATE        NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, usage_id),
  UNIQUE (organization_id, order_id)
);
CREATE INDEX credit_usages_customer_idx ON credit_usages (organization_id, customer_id, seq DESC);

CREATE TABLE credit_payments (
  seq             BIGSERIAL   NOT NULL UNIQUE,
  organization_id TEXT        NOT NULL,
  payment_id      TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  amount_cents    BIGINT      NOT NULL CHECK (amount_cents > 0),
  reference       TEXT,
  available_after_cents BIGINT NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, payment_id)
);
CREATE INDEX credit_payments_customer_idx ON credit_payments (organization_id, customer_id, seq DESC);

-- Audit of refused usages (credit.limit.exceeded is committed with its row).
CREATE TABLE credit_refusals (
  seq                   BIGSERIAL   PRIMARY KEY,
  organization_id       TEXT        NOT NULL,
  customer_id           TEXT        NOT NULL,
  order_id              TEXT        NOT NULL,
  attempted_cents       BIGINT      NOT NULL,
  available_cents       BIGINT      NOT NULL,
  actor                 TEXT        NOT NULL,
  created_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE idempotency_keys (
  organization_id TEXT        NOT NULL,
  key             TEXT        NOT NULL,
  request_hash    TEXT        NOT NULL,
  status          INTEGER,
  body            TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Transactional outbox: written in the same transaction as the change it reports.
-- payload is the exact JSON text of the envelope (text, not jsonb, so its key order is kept).
CREATE TABLE outbox (
  id              BIGSERIAL   PRIMARY KEY,
  message_id      TEXT        NOT NULL UNIQUE,
  organization_id TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  event_name      TEXT        NOT NULL,
  payload         TEXT        NOT NULL,
  correlation_id  TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
  sent_at         TIMESTAMPTZ
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_idx ON outbox (sent_at) WHERE sent_at IS NOT NULL;
