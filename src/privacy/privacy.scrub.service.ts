import { ANONYMIZED_NAME } from '../customers/customers.repository.js';

/*
 * Erasing a customer's personal data from what the service stored as JSON text: the envelopes of its events (the
 * outbox) and the responses remembered for Idempotency-Key replays. Pure functions over parsed JSON.
 */

/** The fields that carry a customer's personal data, wherever they appear. */
const ERASED = ['email', 'phone', 'tax_id'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: Json): v is { [key: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Erases the personal fields of `node` and of every object below it (when `applies` says so): email, phone and
 * tax_id become null; a name becomes the anonymized placeholder (the contract's names are non-null strings).
 * Returns whether anything changed. Iterative, so no stored document can overflow the stack.
 */
function erase(root: Json, applies: (o: { [key: string]: Json }) => boolean): boolean {
  let changed = false;
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Json;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!isObject(node)) continue;
    if (applies(node)) {
      for (const field of ERASED) {
        if (node[field] !== undefined && node[field] !== null) {
          node[field] = null;
          changed = true;
        }
      }
      if (typeof node.name === 'string' && node.name !== ANONYMIZED_NAME) {
        node.name = ANONYMIZED_NAME;
        changed = true;
      }
    }
    stack.push(...Object.values(node));
  }
  return changed;
}

/**
 * A stored event envelope of the anonymized customer with its personal data erased (everything under `data`:
 * `customer.created`'s email and phone, `customer.updated`'s changes, and any other event's), or undefined when it
 * carried none. The JSON keeps its key order.
 */
export function scrubEventPayload(payload: string): string | undefined {
  const envelope = JSON.parse(payload) as Json;
  if (!isObject(envelope) || envelope.data === undefined) return undefined;
  return erase(envelope.data, () => true) ? JSON.stringify(envelope) : undefined;
}

/**
 * A dead letter's body with the personal data erased as in `scrubEventPayload`; a body that is not JSON (one reason
 * a row is a dead letter) cannot be searched field by field, so it is erased whole (a retry then refuses it).
 */
export function scrubDeadLetter(payload: string): string | undefined {
  try {
    return scrubEventPayload(payload);
  } catch {
    return payload === '' ? undefined : '';
  }
}

/**
 * A remembered response body with the personal data of `customerId` erased (every object whose `customer_id` is
 * that customer: the Customer resource answered by sign-up and PATCH), or undefined when it carried none. An
 * anonymized Customer resource also says `status: anonymized`.
 */
export function scrubStoredResponse(body: string, customerId: string): string | undefined {
  const parsed = JSON.parse(body) as Json;
  const changed = erase(parsed, (o) => {
    if (o.customer_id !== customerId) return false;
    if (typeof o.status === 'string') o.status = 'anonymized';
    return true;
  });
  return changed ? JSON.stringify(parsed) : undefined;
}
