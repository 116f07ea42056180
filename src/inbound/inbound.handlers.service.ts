import type { ReceivedEnvelope, ReceivedHandlers } from '../../generated/index.js';
import type { Db } from '../db/db.js';
import { DomainError } from '../shared/domain-error.js';
import { orderCancelled, orderCompleted, orderRefunded } from './inbound.orders.service.js';
import type { InboundContext, InboundOutcome } from './inbound.outcome.service.js';
import { paymentReceived } from './inbound.payments.service.js';
import { claimMessage, type InboxEntry, setOutcome } from './inbound.repository.js';

/** One handler per consumed event: a receive operation added to asyncapi.yaml without one here fails typecheck. */
export const inboundHandlers: ReceivedHandlers<InboundContext, InboundOutcome> = {
  'order.completed': orderCompleted,
  'order.cancelled': orderCancelled,
  'order.refunded': orderRefunded,
  'payment.received': paymentReceived,
};

function dispatch(ctx: InboundContext, e: ReceivedEnvelope): Promise<InboundOutcome> {
  switch (e.event) {
    case 'order.completed':
      return inboundHandlers[e.event](ctx, e);
    case 'order.cancelled':
      return inboundHandlers[e.event](ctx, e);
    case 'order.refunded':
      return inboundHandlers[e.event](ctx, e);
    case 'payment.received':
      return inboundHandlers[e.event](ctx, e);
    default: {
      const unhandled: never = e;
      throw new Error(`no handler for ${String(unhandled)}`);
    }
  }
}

export interface InboundMessage {
  readonly sourceExchange: string;
  readonly messageId: string;
  readonly correlationId: string | undefined;
  readonly event: ReceivedEnvelope;
  /** The service clock's now. */
  readonly now: Date;
}

/** `refused`: dead-letter with `reason` (the problem type, then its detail); nothing was applied. */
export type InboundResult = InboundOutcome | { readonly kind: 'refused'; readonly reason: string };

/** The ledger actor of consumed events: the exchange they came from. */
export const inboundActor = (exchange: string) => `inbound:${exchange}`;

/**
 * Applies one consumed message in ONE transaction: the inbox row, the business write and the outbox rows of the
 * events it causes commit together, or nothing does. A message already in the inbox is a duplicate. A domain
 * refusal rolls everything back and is returned (dead-letter); any other error (the database is down) is thrown,
 * for the message to be retried.
 */
export async function applyMessage(db: Db, m: InboundMessage): Promise<InboundResult> {
  const org = m.event.organization_id;
  const entry: InboxEntry = {
    sourceExchange: m.sourceExchange,
    messageId: m.messageId,
    organizationId: org,
    event: m.event.event,
    receivedAt: m.now,
  };
  const ctx = (tx: InboundContext['tx']): InboundContext => ({
    tx,
    use: {
      principal: { org, sub: inboundActor(m.sourceExchange), roles: [] },
      requestId: m.correlationId ?? m.messageId,
      now: m.now,
    },
  });
  try {
    return await db.transaction(async (tx) => {
      if (!(await claimMessage(tx, entry))) return { kind: 'duplicate', why: 'message already received' };
      const outcome = await dispatch(ctx(tx), m.event);
      if (outcome.kind !== 'applied') await setOutcome(tx, entry, outcome.kind);
      return outcome;
    });
  } catch (error) {
    if (error instanceof DomainError) return { kind: 'refused', reason: `${error.code}: ${error.detail}` };
    throw error;
  }
}
