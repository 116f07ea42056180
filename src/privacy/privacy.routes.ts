import type { FastifyInstance } from 'fastify';
import { roleHook } from '../auth/auth.js';
import { customerIdParams, errorResponses, idempotencyHeaders } from '../http/schemas.js';
import { contextOf, ok, runWrite } from '../http/write.js';
import { anonymizationBody, customerExportSchema } from './privacy.schemas.js';
import { type AnonymizationInput, anonymize, exportCustomer } from './privacy.service.js';

type IdParams = { customer_id: string };

/** Personal data rights (Law 81 of 2019): export and anonymization, role `privacy_officer`. */
export default async function privacyRoutes(app: FastifyInstance) {
  const tags = ['customers'];

  app.get<{ Params: IdParams }>(
    '/customers/:customer_id/export',
    {
      schema: {
        tags,
        summary: 'Everything stored about a customer, as one document (role privacy_officer)',
        description:
          'Access and portability (Law 81 of 2019): the customer, its loyalty account and whole ledger, its credit ' +
          'account with every usage, payment and refused usage, and its anonymization if any.',
        params: customerIdParams,
        response: { 200: customerExportSchema, ...errorResponses(404) },
      },
      preValidation: roleHook('privacy_officer'),
    },
    (request) => exportCustomer(app.db, request.principal.org, request.params.customer_id, app.clock.now()),
  );

  app.post<{ Params: IdParams; Body: AnonymizationInput }>(
    '/customers/:customer_id/anonymization',
    {
      schema: {
        tags,
        summary: 'Anonymize a customer, irreversibly (role privacy_officer; publishes customer.anonymized)',
        description:
          'Cancellation (Law 81 of 2019): name becomes `Anonymized customer`, email, phone and tax id null (the ' +
          'email and phone are free again), points left are forfeited (a `forfeiture` ledger entry), and every ' +
          'stored event of the customer loses its personal data. 409 `customer-has-outstanding-credit` while ' +
          'credit is outstanding; 409 `customer-anonymized` when it already is. Later writes to the customer are ' +
          '409 `customer-anonymized`.',
        params: customerIdParams,
        headers: idempotencyHeaders,
        body: anonymizationBody,
        response: { 200: { $ref: 'Customer#' }, ...errorResponses(404, 409) },
      },
      preValidation: roleHook('privacy_officer'),
    },
    (request, reply) =>
      runWrite(request, reply, async (tx) =>
        ok(await anonymize(tx, contextOf(request), request.params.customer_id, request.body ?? {})),
      ),
  );
}
