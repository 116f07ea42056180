-- The inbound consumer (src/inbound/): one inbox row per consumed message, committed with its effects; and what
-- the service remembers of other teams' orders, so a cancellation or refund that arrives before the completion
-- still counts, and business keys keep protecting after the inbox rows are purged (INBOX_RETENTION_DAYS).

CREATE TABLE inbox (
  source_exchange TEXT        NOT NULL,
  message_id      TEXT        NOT NULL,
  organization_id TEXT,
  event           TEXT        NOT NULL,
  received_at     TIMESTAMPTZ NOT NULL,
  outcome         TEXT        NOT NULL CHECK (outcome IN ('applied', 'skipped', 'duplicate')),
  PRIMARY KEY (source_exchange, message_id)
);
CREATE INDEX inbox_received_idx ON inbox (received_at);

-- One row per order the service heard of: its total and the base the earn was made on (total minus what was
-- refunded before the completion), and its cancellation.
CREATE TABLE inbound_orders (
  organization_id TEXT        NOT NULL,
  order_id        TEXT        NOT NULL,
  customer_id     TEXT,
  total_cents     BIGINT      CHECK (total_cents >= 0),
  earn_base_cents BIGINT      CHECK (earn_base_cents >= 0),
  completed_at    TIMESTAMPTZ,
  cancelled_at    TIMESTAMPTZ,
  refunded_cents  BIGINT      NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
  updated_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, order_id)
);

-- One refund_id applies once.
CREATE TABLE inbound_refunds (
  organization_id TEXT        NOT NULL,
  refund_id       TEXT        NOT NULL,
  order_id        TEXT        NOT NULL,
  amount_cents    BIGINT      NOT NULL CHECK (amount_cents >= 0),
  points_reversed BIGINT      NOT NULL DEFAULT 0 CHECK (points_reversed >= 0),
  received_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (organization_id, refund_id)
);

-- payment.received records a credit payment whose reference is the payment_id: found again by it.
CREATE INDEX credit_payments_reference_idx ON credit_payments (organization_id, reference) WHERE reference IS NOT NULL;
