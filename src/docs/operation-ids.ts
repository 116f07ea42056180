/**
 * The one table of OpenAPI `operationId`s, keyed by `METHOD /fastify/url`. Stable, unique, camelCase: client
 * generators turn them into method names (`client.createCustomer(…)`), so an id is never renamed once published.
 *
 * A route that the document publishes and that has no entry here is still served and documented, without an
 * `operationId`; test/docs/openapi-document.test.ts fails until it gets one.
 */
export const OPERATION_IDS: Readonly<Record<string, string>> = {
  'POST /v1/customers': 'createCustomer',
  'GET /v1/customers': 'listCustomers',
  'GET /v1/customers/:customer_id': 'getCustomer',
  'PATCH /v1/customers/:customer_id': 'updateCustomer',

  'POST /v1/customers/:customer_id/loyalty': 'enrollLoyalty',
  'GET /v1/customers/:customer_id/loyalty': 'getLoyaltyAccount',
  'GET /v1/customers/:customer_id/loyalty/transactions': 'listLoyaltyTransactions',
  'POST /v1/customers/:customer_id/loyalty/earn': 'earnLoyaltyPoints',
  'POST /v1/customers/:customer_id/loyalty/redeem': 'redeemLoyaltyPoints',
  'GET /v1/loyalty/program': 'getLoyaltyProgram',
  'PUT /v1/loyalty/program': 'updateLoyaltyProgram',
  'POST /v1/customers/:customer_id/loyalty/transactions/:transaction_id/reversal': 'reverseLoyaltyTransaction',
  'POST /v1/loyalty/expiry-runs': 'runLoyaltyExpiry',

  'POST /v1/customers/:customer_id/credit': 'approveCredit',
  'PATCH /v1/customers/:customer_id/credit': 'updateCredit',
  'GET /v1/customers/:customer_id/credit': 'getCredit',
  'POST /v1/customers/:customer_id/credit/usages': 'useCredit',
  'GET /v1/customers/:customer_id/credit/usages': 'listCreditUsages',
  'POST /v1/customers/:customer_id/credit/payments': 'receiveCreditPayment',
  'GET /v1/customers/:customer_id/credit/payments': 'listCreditPayments',
  'POST /v1/customers/:customer_id/credit/usages/:usage_id/cancellation': 'cancelCreditUsage',
  'POST /v1/credit/overdue-runs': 'runCreditOverdue',
  'POST /v1/customers/:customer_id/credit/hold': 'placeCreditHold',
  'DELETE /v1/customers/:customer_id/credit/hold': 'releaseCreditHold',
  'GET /v1/customers/:customer_id/credit/statement': 'getCreditStatement',
  'GET /v1/credit/aging': 'getCreditAging',

  'GET /v1/customers/:customer_id/export': 'exportCustomerData',
  'POST /v1/customers/:customer_id/anonymization': 'anonymizeCustomer',

  // Probes: served, but not part of the published API document (see UNPUBLISHED); ids kept for when they are.
  'GET /health/live': 'getLiveness',
  'GET /health/ready': 'getReadiness',
};

/**
 * Routes served but left out of the published document, with the reason. The probes are for the platform, not
 * for API clients (as /metrics), and they cannot answer a 4xx, which every published operation declares.
 */
export const UNPUBLISHED: Readonly<Record<string, string>> = {
  'GET /health/live': 'liveness probe for the platform; no auth, no 4xx',
  'GET /health/ready': 'readiness probe for the platform; no auth, no 4xx',
};

export function routeKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`;
}
