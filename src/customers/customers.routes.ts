import type { FastifyInstance } from 'fastify';
import { signingKey } from '../config.js';
import { customerIdParams, errorResponses } from '../http/schemas.js';
import { typed } from '../http/type-provider.js';
import { answerWrite } from '../http/write.js';
import type { customerSchema } from './customers.schemas.js';
import { customerPage, listCustomersQuery, patchCustomerBody } from './customers.schemas.js';
import { listCustomers, patchCustomer } from './customers.service.js';

/** Sign-up (POST /customers) and the profile read (GET /customers/{id}) are in src/profile/. */
export default async function customersRoutes(fastify: FastifyInstance) {
  const app = typed<[typeof customerSchema]>(fastify);
  const tags = ['customers'];

  app.get(
    '/customers',
    {
      schema: {
        tags,
        summary: 'List customers in creation order, filtered, cursor-paginated',
        querystring: listCustomersQuery,
        response: { 200: customerPage, ...errorResponses() },
      },
    },
    (request) => listCustomers(app.db, request.principal.org, { ...request.query, signingKey: signingKey(app.config) }),
  );

  app.patch(
    '/customers/:customer_id',
    {
      schema: {
        tags,
        summary: 'Change a customer (JSON merge patch; publishes customer.updated when something changed)',
        params: customerIdParams,
        body: patchCustomerBody,
        response: { 200: { $ref: 'Customer#' }, ...errorResponses(404, 409) },
      },
    },
    (request, reply) =>
      answerWrite(request, reply, 200, (tx, ctx) => patchCustomer(tx, ctx, request.params.customer_id, request.body)),
  );
}
