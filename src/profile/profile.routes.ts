import type { FastifyInstance } from 'fastify';
import { customerSchema } from '../customers/customers.schemas.js';
import { customerIdParams, errorResponses, idempotencyHeaders } from '../http/schemas.js';
import { contextOf, created, runWrite } from '../http/write.js';
import { signUpBody } from './profile.schemas.js';
import { getProfile, type SignUpInput, signUp } from './profile.service.js';

type IdParams = { customer_id: string };

/** The customer routes whose use cases span customers, loyalty and credit. */
export default async function profileRoutes(app: FastifyInstance) {
  const tags = ['customers'];

  app.post<{ Body: SignUpInput }>(
    '/customers',
    {
      schema: {
        tags,
        summary: 'Create a customer (publishes customer.created)',
        headers: idempotencyHeaders,
        body: signUpBody,
        response: { 201: { $ref: 'Customer#' }, ...errorResponses(409, 422) },
      },
    },
    (request, reply) =>
      runWrite(request, reply, async (tx) => created(await signUp(tx, contextOf(request), request.body))),
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
    (request) => getProfile(app.db, request.principal.org, request.params.customer_id),
  );
}
