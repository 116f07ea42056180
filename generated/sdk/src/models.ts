// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

/**
 * The credit account and its current terms.
 */
export interface CreditApprovedData {
  /**
   * Id of the customer (prefix `cust_`; usually a `b2b` customer).
   */
  customer_id: string;
  /**
   * Id of the credit account (prefix `credit_`).
   */
  credit_account_id: string;
  /**
   * Approved credit limit (a JSON number, at most 2 decimals; 10000.00 is sent as 10000).
   */
  credit_limit: number;
  /**
   * Days after a usage until its payment is due.
   */
  payment_term_days: number;
  /**
   * Id of the user (the token's subject) who approved or changed the credit.
   */
  approved_by: string;
}

/**
 * Envelope of the `credit.approved` event.
 */
export interface CreditApprovedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'credit.approved';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the credit was approved or changed, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The credit account and its current terms.
   */
  data: CreditApprovedData;
}

/**
 * The held account, why, and what it owes.
 */
export interface CreditHoldPlacedData {
  /**
   * Id of the customer (prefix `cust_`; usually a `b2b` customer).
   */
  customer_id: string;
  /**
   * Id of the credit account (prefix `credit_`).
   */
  credit_account_id: string;
  /**
   * Why the account is on hold: `overdue` when the overdue run placed the hold (it lifts by itself when paid), `manual` when a credit manager placed it (lifted only by hand).
   */
  reason: CreditHoldReason;
  /**
   * The credit manager's note of a manual hold; null when none was given or the hold is for overdue.
   */
  note: string | null;
  /**
   * Amount outstanding when the hold was placed (a JSON number, at most 2 decimals).
   */
  outstanding: number;
}

/**
 * Envelope of the `credit.hold.placed` event (an addition, the credit lifecycle).
 */
export interface CreditHoldPlacedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'credit.hold.placed';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the hold was placed (the service clock), RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The held account, why, and what it owes.
   */
  data: CreditHoldPlacedData;
}

/**
 * Why the account is on hold: `overdue` when the overdue run placed the hold (it lifts by itself when paid), `manual` when a credit manager placed it (lifted only by hand).
 */
export type CreditHoldReason = 'overdue' | 'manual';

/**
 * The account whose hold was lifted and the credit available again.
 */
export interface CreditHoldReleasedData {
  /**
   * Id of the customer (prefix `cust_`; usually a `b2b` customer).
   */
  customer_id: string;
  /**
   * Id of the credit account (prefix `credit_`).
   */
  credit_account_id: string;
  /**
   * Credit available after the release (a JSON number, at most 2 decimals).
   */
  credit_available: number;
}

/**
 * Envelope of the `credit.hold.released` event (an addition, the credit lifecycle).
 */
export interface CreditHoldReleasedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'credit.hold.released';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the hold was lifted (the service clock), RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The account whose hold was lifted and the credit available again.
   */
  data: CreditHoldReleasedData;
}

/**
 * The refused amount and how much credit was missing.
 */
export interface CreditLimitExceededData {
  /**
   * Id of the customer (prefix `cust_`; usually a `b2b` customer).
   */
  customer_id: string;
  /**
   * Amount of the refused usage (a JSON number, at most 2 decimals).
   */
  attempted_amount: number;
  /**
   * Credit available when the usage was refused (a JSON number, at most 2 decimals).
   */
  credit_available: number;
  /**
   * `attempted_amount` minus `credit_available` (a JSON number, at most 2 decimals).
   */
  shortfall: number;
}

/**
 * Envelope of the `credit.limit.exceeded` event.
 */
export interface CreditLimitExceededEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'credit.limit.exceeded';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the usage was refused, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The refused amount and how much credit was missing.
   */
  data: CreditLimitExceededData;
}

/**
 * The overdue usage and what is still unpaid of it.
 */
export interface CreditOverdueData {
  /**
   * Id of the customer (prefix `cust_`; usually a `b2b` customer).
   */
  customer_id: string;
  /**
   * Id of the credit account (prefix `credit_`).
   */
  credit_account_id: string;
  /**
   * Id of the overdue usage (prefix `usage_`).
   */
  usage_id: string;
  /**
   * The order the usage paid.
   */
  order_id: string;
  /**
   * What is still unpaid of the usage (a JSON number, at most 2 decimals).
   */
  amount_due: number;
  /**
   * The usage's due date (`YYYY-MM-DD`, UTC).
   */
  due_date: string;
  /**
   * Days from `due_date` to the date of the run that found it overdue.
   */
  days_overdue: number;
}

/**
 * Envelope of the `credit.overdue` event (an addition, the credit lifecycle).
 */
export interface CreditOverdueEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'credit.overdue';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the overdue run found the usage overdue (the service clock), RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The overdue usage and what is still unpaid of it.
   */
  data: CreditOverdueData;
}

/**
 * The payment and the credit available after it. This event is an addition to the original contract
 * (`eventos-publicados.md`).
 */
export interface CreditPaymentReceivedData {
  /**
   * Id of the customer (prefix `cust_`; usually a `b2b` customer).
   */
  customer_id: string;
  /**
   * Id of the payment (prefix `pay_`).
   */
  payment_id: string;
  /**
   * Amount paid (a JSON number, at most 2 decimals).
   */
  amount: number;
  /**
   * Credit available after the payment (a JSON number, at most 2 decimals).
   */
  credit_available: number;
  /**
   * Reference given with the payment (e.g. a bank transfer id), or null when none was given.
   */
  reference: string | null;
}

/**
 * Envelope of the `credit.payment.received` event (an addition to the original contract).
 */
export interface CreditPaymentReceivedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'credit.payment.received';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the payment was recorded, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The payment and the credit available after it. This event is an addition to the original contract
   * (`eventos-publicados.md`).
   */
  data: CreditPaymentReceivedData;
}

/**
 * The cancelled usage and the credit available after it.
 */
export interface CreditUsageCancelledData {
  /**
   * Id of the customer (prefix `cust_`; usually a `b2b` customer).
   */
  customer_id: string;
  /**
   * Id of the credit account (prefix `credit_`).
   */
  credit_account_id: string;
  /**
   * Id of the cancelled credit usage (prefix `usage_`).
   */
  usage_id: string;
  /**
   * Id of the order the usage paid (one usage per order).
   */
  order_id: string;
  /**
   * Amount of the usage, returned to the available credit (a JSON number, at most 2 decimals).
   */
  amount: number;
  /**
   * Credit available after the cancellation (a JSON number, at most 2 decimals).
   */
  credit_available: number;
}

/**
 * Envelope of the `credit.usage.cancelled` event.
 */
export interface CreditUsageCancelledEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'credit.usage.cancelled';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the usage was cancelled, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The cancelled usage and the credit available after it.
   */
  data: CreditUsageCancelledData;
}

/**
 * The usage and the credit left after it.
 */
export interface CreditUsedData {
  /**
   * Id of the customer (prefix `cust_`; usually a `b2b` customer).
   */
  customer_id: string;
  /**
   * Id of the credit usage (prefix `usage_`).
   */
  usage_id: string;
  /**
   * Id of the order paid with credit (one usage per order).
   */
  order_id: string;
  /**
   * Amount charged to the credit (a JSON number, at most 2 decimals).
   */
  amount: number;
  /**
   * Credit available after this usage (a JSON number, at most 2 decimals).
   */
  credit_available: number;
  /**
   * Date the usage must be paid by (usage day plus the payment term), `YYYY-MM-DD`.
   */
  due_date: string;
}

/**
 * Envelope of the `credit.used` event.
 */
export interface CreditUsedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'credit.used';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the credit was used, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The usage and the credit left after it.
   */
  data: CreditUsedData;
}

/**
 * The customer whose personal data was erased. No personal data: consumers MUST erase the customer's name,
 * email, phone and tax id on their side when they receive this event.
 */
export interface CustomerAnonymizedData {
  /**
   * Id of the customer (prefix `cust_`); it stays, the customer now answers with status `anonymized`.
   */
  customer_id: string;
  /**
   * When the personal data was erased, RFC 3339 in UTC.
   */
  anonymized_at: string;
  /**
   * Loyalty points that were still on the account and were forfeited (0 when none).
   */
  points_forfeited: number;
}

/**
 * Envelope of the `customer.anonymized` event.
 */
export interface CustomerAnonymizedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'customer.anonymized';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the customer was anonymized, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The customer whose personal data was erased. No personal data: consumers MUST erase the customer's name,
   * email, phone and tax id on their side when they receive this event.
   */
  data: CustomerAnonymizedData;
}

/**
 * Exactly the fields whose value changed, with their new values. `null` means the field was cleared.
 * Fields that did not change are absent.
 */
export interface CustomerChanges {
  /**
   * The new name of the customer. In a stored event of a customer who was later anonymized (a redelivery or
   * a replay) it is `Anonymized customer`, and `email`, `phone` and `tax_id` are null.
   */
  name?: string;
  /**
   * The new email address, or null when it was cleared.
   */
  email?: string | null;
  /**
   * The new phone number as written by the client, or null when it was cleared.
   */
  phone?: string | null;
  /**
   * The new tax id (e.g. a Panama RUC), or null when it was cleared.
   */
  tax_id?: string | null;
}

/**
 * The customer that was created. A customer has at least one of `email` and `phone`.
 */
export interface CustomerCreatedData {
  /**
   * Id of the customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * `b2c` for a consumer, `b2b` for a business.
   */
  customer_type: CustomerType;
  /**
   * Email address of the customer, or null when it has none.
   */
  email: string | null;
  /**
   * Phone number as written by the client (e.g. `+507 6000-0000`), or null when it has none.
   */
  phone: string | null;
  /**
   * Whether a loyalty account was opened together with the customer.
   */
  loyalty_account_created: boolean;
}

/**
 * Envelope of the `customer.created` event.
 */
export interface CustomerCreatedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'customer.created';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the change happened, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The customer that was created. A customer has at least one of `email` and `phone`.
   */
  data: CustomerCreatedData;
}

/**
 * `b2c` for a consumer, `b2b` for a business.
 */
export type CustomerType = 'b2c' | 'b2b';

/**
 * The customer that changed and what changed.
 */
export interface CustomerUpdatedData {
  /**
   * Id of the customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * Exactly the fields whose value changed, with their new values. `null` means the field was cleared.
   * Fields that did not change are absent.
   */
  changes: CustomerChanges;
}

/**
 * Envelope of the `customer.updated` event.
 */
export interface CustomerUpdatedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'customer.updated';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the change happened, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The customer that changed and what changed.
   */
  data: CustomerUpdatedData;
}

/**
 * The points earned and the account after the earn.
 */
export interface LoyaltyPointsEarnedData {
  /**
   * Id of the customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * Id of the loyalty ledger entry (prefix `loy_txn_`).
   */
  transaction_id: string;
  /**
   * Points credited by this transaction.
   */
  points_earned: number;
  /**
   * Points balance after this transaction.
   */
  points_balance: number;
  /**
   * Loyalty tier after this transaction. The default program's tiers are `bronze`, `silver`, `gold` and
   * `platinum`; an organization can configure its own tier names, so consumers must accept any string.
   */
  tier: string;
  /**
   * What the points were earned for (e.g. `purchase`).
   */
  reference_type: string;
  /**
   * Id of the referenced business object (e.g. an order id); earns once per type and id.
   */
  reference_id: string;
}

/**
 * Envelope of the `loyalty.points.earned` event.
 */
export interface LoyaltyPointsEarnedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'loyalty.points.earned';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the points were earned, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The points earned and the account after the earn.
   */
  data: LoyaltyPointsEarnedData;
}

/**
 * The points that expired and the balance after.
 */
export interface LoyaltyPointsExpiredData {
  /**
   * Id of the customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * Id of the expiry's ledger entry (prefix `loy_txn_`).
   */
  transaction_id: string;
  /**
   * Points that expired in this run.
   */
  points_expired: number;
  /**
   * Points balance after the expiry.
   */
  points_balance: number;
}

/**
 * Envelope of the `loyalty.points.expired` event.
 */
export interface LoyaltyPointsExpiredEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'loyalty.points.expired';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the expiry run ran (the service clock), RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The points that expired and the balance after.
   */
  data: LoyaltyPointsExpiredData;
}

/**
 * The points that will expire soon and the current balance.
 */
export interface LoyaltyPointsExpiringData {
  /**
   * Id of the customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * Points newly within the notice window.
   */
  points_expiring: number;
  /**
   * The earliest expiry among those points, RFC 3339 in UTC.
   */
  expires_at: string;
  /**
   * The current points balance.
   */
  points_balance: number;
}

/**
 * Envelope of the `loyalty.points.expiring` event.
 */
export interface LoyaltyPointsExpiringEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'loyalty.points.expiring';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the expiry run ran (the service clock), RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The points that will expire soon and the current balance.
   */
  data: LoyaltyPointsExpiringData;
}

/**
 * The points redeemed and the account after the redemption.
 */
export interface LoyaltyPointsRedeemedData {
  /**
   * Id of the customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * Id of the loyalty ledger entry (prefix `loy_txn_`).
   */
  transaction_id: string;
  /**
   * Points taken from the balance by this transaction.
   */
  points_redeemed: number;
  /**
   * Points balance after this transaction.
   */
  points_balance: number;
  /**
   * Money value of the redeemed points, rounded down to cents (a JSON number, at most 2 decimals).
   */
  discount_value: number;
}

/**
 * Envelope of the `loyalty.points.redeemed` event.
 */
export interface LoyaltyPointsRedeemedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'loyalty.points.redeemed';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the points were redeemed, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The points redeemed and the account after the redemption.
   */
  data: LoyaltyPointsRedeemedData;
}

/**
 * The reversal and the account after it.
 */
export interface LoyaltyPointsReversedData {
  /**
   * Id of the customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * Id of the reversal's ledger entry (prefix `loy_txn_`).
   */
  transaction_id: string;
  /**
   * Id of the earn or redemption that was reversed (prefix `loy_txn_`).
   */
  reversed_transaction_id: string;
  /**
   * Points taken from the balance (earn) or given back to it (redemption).
   */
  points_reversed: number;
  /**
   * Points of a reversed earn that could not be taken because they were already spent; 0 for a redemption.
   */
  unrecovered_points: number;
  /**
   * Points balance after the reversal.
   */
  points_balance: number;
  /**
   * Why the transaction was reversed, as given by the caller, or null.
   */
  reason: string | null;
}

/**
 * Envelope of the `loyalty.points.reversed` event.
 */
export interface LoyaltyPointsReversedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'loyalty.points.reversed';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the reversal was made, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The reversal and the account after it.
   */
  data: LoyaltyPointsReversedData;
}

/**
 * The tier before and after the upgrade.
 */
export interface LoyaltyTierUpgradedData {
  /**
   * Id of the customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * Tier before the upgrade. Default tiers are `bronze`, `silver`, `gold` and `platinum`; an organization can
   * configure its own tier names, so consumers must accept any string.
   */
  previous_tier: string;
  /**
   * Tier after the upgrade. Default tiers are `bronze`, `silver`, `gold` and `platinum`; an organization can
   * configure its own tier names, so consumers must accept any string.
   */
  new_tier: string;
  /**
   * Lifetime points of the customer (never reduced by redemptions) that reached the new tier.
   */
  lifetime_points: number;
}

/**
 * Envelope of the `loyalty.tier.upgraded` event.
 */
export interface LoyaltyTierUpgradedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'loyalty.tier.upgraded';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the tier rose, RFC 3339 in UTC.
   */
  timestamp: string;
  /**
   * The organization the customer belongs to.
   */
  organization_id: string;
  /**
   * The tier before and after the upgrade.
   */
  data: LoyaltyTierUpgradedData;
}

/**
 * The cancelled order, as far as we read it.
 */
export interface OrderCancelledData {
  /**
   * Id of the cancelled order.
   */
  order_id: string;
  /**
   * Id of the customer (prefix `cust_`); null for a guest order.
   */
  customer_id: string | null;
  /**
   * When the order was cancelled, RFC 3339.
   */
  cancelled_at: string;
  /**
   * Why the order was cancelled, free text, when the producer gives one.
   */
  reason?: string;
}

/**
 * Envelope of the `order.cancelled` event, as we read it (open; only what we use is required).
 */
export interface OrderCancelledEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'order.cancelled';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the producer published the event, RFC 3339.
   */
  timestamp: string;
  /**
   * The organization the order or payment belongs to.
   */
  organization_id: string;
  /**
   * The cancelled order, as far as we read it.
   */
  data: OrderCancelledData;
}

/**
 * The completed order, as far as we read it.
 */
export interface OrderCompletedData {
  /**
   * Id of the order; the earn's `reference_id` (one earn per order).
   */
  order_id: string;
  /**
   * Id of the customer (prefix `cust_`); null for a guest order.
   */
  customer_id: string | null;
  /**
   * Order total, the amount the points are earned on (a JSON number, at most 2 decimals).
   */
  total: number;
  /**
   * How the order was paid, e.g. `cash`, `card`, `credit`; any string is accepted.
   */
  payment_method: string;
  /**
   * When the order was completed, RFC 3339.
   */
  completed_at: string;
  /**
   * The store the order was placed in, when the producer knows it.
   */
  store_id?: string;
}

/**
 * Envelope of the `order.completed` event, as we read it (open; only what we use is required).
 */
export interface OrderCompletedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'order.completed';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the producer published the event, RFC 3339.
   */
  timestamp: string;
  /**
   * The organization the order or payment belongs to.
   */
  organization_id: string;
  /**
   * The completed order, as far as we read it.
   */
  data: OrderCompletedData;
}

/**
 * The refund, as far as we read it.
 */
export interface OrderRefundedData {
  /**
   * Id of the refunded order.
   */
  order_id: string;
  /**
   * Id of the refund; one refund applies once.
   */
  refund_id: string;
  /**
   * Id of the customer (prefix `cust_`); null for a guest order.
   */
  customer_id: string | null;
  /**
   * The part of the order refunded (a JSON number, at most 2 decimals).
   */
  amount: number;
  /**
   * When the refund was made, RFC 3339.
   */
  refunded_at: string;
}

/**
 * Envelope of the `order.refunded` event, as we read it (open; only what we use is required).
 */
export interface OrderRefundedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'order.refunded';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the producer published the event, RFC 3339.
   */
  timestamp: string;
  /**
   * The organization the order or payment belongs to.
   */
  organization_id: string;
  /**
   * The refund, as far as we read it.
   */
  data: OrderRefundedData;
}

/**
 * The payment, as far as we read it.
 */
export interface PaymentReceivedData {
  /**
   * Id of the payment; the credit payment's `reference` (one payment records once).
   */
  payment_id: string;
  /**
   * Id of the paying customer (prefix `cust_`).
   */
  customer_id: string;
  /**
   * Amount paid (a JSON number, at most 2 decimals).
   */
  amount: number;
  /**
   * What the payment is for; only `credit_account` concerns us, any other string is ignored.
   */
  applies_to: string;
  /**
   * When the payment was received, RFC 3339.
   */
  received_at: string;
  /**
   * How it was paid (e.g. `bank_transfer`), when the producer gives it.
   */
  method?: string;
  /**
   * The payer's reference (e.g. a transfer number), when the producer gives one.
   */
  reference?: string | null;
}

/**
 * Envelope of the `payment.received` event, as we read it (open; only what we use is required).
 */
export interface PaymentReceivedEvent {
  /**
   * The event name; also the routing key.
   */
  event: 'payment.received';
  /**
   * Version of the envelope and payload format.
   */
  version: '1.0';
  /**
   * When the producer published the event, RFC 3339.
   */
  timestamp: string;
  /**
   * The organization the order or payment belongs to.
   */
  organization_id: string;
  /**
   * The payment, as far as we read it.
   */
  data: PaymentReceivedData;
}
