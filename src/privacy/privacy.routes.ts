import type { FastifyInstance } from 'fastify';
import { roleHook } from '../auth/auth.js';
import type { creditAccountSchema } from '../credit/credit.schemas.js';
import type { customerSchema } from '../customers/customers.schemas.js';
import { customerIdParams, errorResponses } from '../http/schemas.js';
import { typed } from '../http/type-provider.js';
import { answerWrite, writeRoute } from '../http/write.js';
import type { loyaltyAccountSchema } from '../loyalty/loyalty.schemas.js';
import { anonymizationBody, customerExportSchema } from './privacy.schemas.js';
import { anonymize, exportCustomer } from './privacy.service.js';

/** Personal data rights (Law 81 of 2019): export and anonymization, role `privacy_officer`. */
export default async function privacyRoutes(fastify: FastifyInstance) {
  const app = typed<[typeof customerSchema, typeof loyaltyAccountSchema, typeof creditAccountSchema]>(fastify);
  const tags = ['customers'];

  app.get(
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

  app.post(
    '/customers/:customer_id/anonymization',
    writeRoute(
      {
        tags,
        summary: 'Anonymize a customer, irreversibly (role privacy_officer; publishes customer.anonymized)',
        description:
          'Cancellation (Law 81 of 2019): name becomes `Anonymized customer`, email, phone and tax id null (the ' +
          'email and phone are free again), points left are forfeited (a `forfeiture` ledger entry), and every ' +
          'stored event of the customer loses its personal data. 409 `customer-has-outstanding-credit` while ' +
          'credit is outstanding; 409 `customer-anonymized` when it already is. Later writes to the customer are ' +
          '409 `customer-anonymized`.',
        params: customerIdParams,
        body: anonymizationBody,
        response: { 200: { $ref: 'Customer#' }, ...errorResponses(404, 409) },
      },
      'privacy_officer',
    ),
    (request, reply) =>
      answerWrite(request, reply, 200, (tx, ctx) => anonymize(tx, ctx, request.params.customer_id, request.body ?? {})),
  );
}
