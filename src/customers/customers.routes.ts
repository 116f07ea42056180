import type { FastifyInstance, FastifyRequest } from 'fastify';
import { customerIdParams, errorResponses, idempotencyHeaders } from '../http/schemas.js';
import { runWrite } from '../http/write.js';
import type { UseCaseContext } from '../shared/context.js';
import {
  createCustomerBody,
  customerPage,
  customerSchema,
  listCustomersQuery,
  patchCustomerBody,
} from './customers.schemas.js';
import {
  type CreateCustomerInput,
  type CustomerPatch,
  createCustomer,
  getCustomer,
  type ListQuery,
  listCustomers,
  patchCustomer,
} from './customers.service.js';

export function contextOf(request: FastifyRequest): UseCaseContext {
  return { principal: request.principal, requestId: request.id, now: new Date() };
}

type IdParams = { customer_id: string };

export default async function customersRoutes(app: FastifyInstance) {
  const tags = ['customers'];

  app.post<{ Body: CreateCustomerInput }>(
    '/customers',
    {
      schema: {
        tags,
        summary: 'Create a customer (publishes customer.created)',
        headers: idempotencyHeaders,
        body: createCustomerBody,
        response: { 201: { $ref: 'Customer#' }, ...errorResponses(409, 422) },
      },
    },
    (request, reply) => runWrite(request, reply, (tx) => createCustomer(tx, contextOf(request), request.body)),
  );

  app.get<{ Params: IdParams }>(
    '/customers/:customer_id',
    {
      schema: {
        tags,
        summary: 'A customer with its loyalty summary and credit account (or null)',
        params: customerIdParams,
        response: {
          200: {
            type: 'object',
            required: [...customerSchema.required, 'loyalty', 'credit'],
            properties: {
              ...customerSchema.properties,
              loyalty: { anyOf: [{ $ref: 'LoyaltyAccount#' }, { type: 'null' }] },
              credit: { anyOf: [{ $ref: 'CreditAccount#' }, { type: 'null' }] },
            },
          },
          ...errorResponses(404),
        },
      },
    },
    (request) => getCustomer(app.db, request.principal.org, request.params.customer_id),
  );

  app.get<{ Querystring: ListQuery }>(
    '/customers',
    {
      schema: {
        tags,
        summary: 'List customers in creation order, filtered, cursor-paginated',
        querystring: listCustomersQuery,
        response: { 200: customerPage, ...errorResponses() },
      },
    },
    (request) => listCustomers(app.db, request.principal.org, request.query),
  );

  app.patch<{ Params: IdParams; Body: CustomerPatch }>(
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
      runWrite(request, reply, (tx) => patchCustomer(tx, contextOf(request), request.params.customer_id, request.body)),
  );
}
