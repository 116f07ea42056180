import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Document, parseDocument } from 'yaml';
import { type Change, judge, type Mode } from '../../scripts/contract/change.js';
import { DEFAULT_SPEC } from '../../scripts/contract/check.js';
import { compareContracts } from '../../scripts/contract/diff.js';
import { parseSpecText } from '../../scripts/lib/asyncapi/load.js';

// The mutations of contract-evolution.md, each applied to the project's asyncapi.yaml, with the verdict the gate
// must give in full mode (and, where the direction matters, in forward and backward mode).

const specText = readFileSync(DEFAULT_SPEC, 'utf8');
const base = parseSpecText(specText, 'asyncapi.yaml');

const SCHEMAS = ['components', 'schemas'];
const USED = [...SCHEMAS, 'CreditUsedData', 'properties'];
const USED_REQUIRED = [...SCHEMAS, 'CreditUsedData', 'required'];

// Several tests make the same mutant (the forward/backward table repeats mutations of FAILS, and judges each in
// two modes): each distinct mutant is parsed once, as parsing (with the parser's validation) is the slow part.
const mutants = new Map<string, Promise<Change[]>>();

/** The changes from asyncapi.yaml to the document `edit` makes of it (unjudged). */
function changesOf(edit: (doc: Document) => void): Promise<Change[]> {
  const doc = parseDocument(specText);
  edit(doc);
  const text = doc.toString({ lineWidth: 0 });
  let changes = mutants.get(text);
  if (!changes) {
    changes = Promise.all([base, parseSpecText(text, 'mutant.yaml')]).then(([b, head]) => compareContracts(b, head));
    mutants.set(text, changes);
  }
  return changes;
}

async function verdict(edit: (doc: Document) => void, mode: Mode = 'full'): Promise<{ ok: boolean; found: Change[] }> {
  const changes = judge(await changesOf(edit), mode);
  const found = changes.filter((c) => c.severity === 'breaking');
  return { ok: found.length === 0, found };
}

function rules(changes: readonly Change[]): string[] {
  return [...new Set(changes.map((c) => `${c.event} ${c.path} ${c.rule}`))];
}

const FAILS: [string, (doc: Document) => void, string][] = [
  [
    'an event is removed',
    (doc) => {
      doc.deleteIn(['channels', 'creditUsed']);
      doc.deleteIn(['operations', 'publishCreditUsed']);
    },
    'credit.used channels.creditUsed event-removed',
  ],
  ['a field is removed', (doc) => doc.deleteIn([...USED, 'order_id']), 'credit.used data.order_id field-removed'],
  ['a type changes', (doc) => doc.setIn([...USED, 'amount', 'type'], 'string'), 'credit.used data.amount type-changed'],
  [
    'a format changes',
    (doc) => doc.setIn([...USED, 'due_date', 'format'], 'date-time'),
    'credit.used data.due_date format-changed',
  ],
  [
    'a field is made optional',
    (doc) => doc.setIn(USED_REQUIRED, ['customer_id', 'usage_id', 'amount', 'credit_available', 'due_date']),
    'credit.used data.order_id field-made-optional',
  ],
  [
    'a field is made nullable',
    (doc) => doc.setIn([...USED, 'order_id', 'type'], ['string', 'null']),
    'credit.used data.order_id made-nullable',
  ],
  [
    'an enum is widened',
    (doc) => doc.setIn([...SCHEMAS, 'CustomerType', 'enum'], ['b2c', 'b2b', 'b2g']),
    'customer.created data.customer_type enum-widened',
  ],
  [
    'an enum is narrowed',
    (doc) => doc.setIn([...SCHEMAS, 'CustomerType', 'enum'], ['b2c']),
    'customer.created data.customer_type enum-narrowed',
  ],
  [
    'a maxLength is added (tightened)',
    (doc) => doc.setIn([...USED, 'order_id', 'maxLength'], 16),
    'credit.used data.order_id constraint-tightened',
  ],
  [
    'a minimum is tightened',
    (doc) => doc.setIn([...USED, 'credit_available', 'minimum'], 1),
    'credit.used data.credit_available constraint-tightened',
  ],
  [
    'a maximum is loosened',
    (doc) => doc.setIn([...SCHEMAS, 'CreditApprovedData', 'properties', 'payment_term_days', 'maximum'], 730),
    'credit.approved data.payment_term_days constraint-loosened',
  ],
  [
    'a pattern is added',
    (doc) => doc.setIn([...USED, 'usage_id', 'pattern'], '^usage_'),
    'credit.used data.usage_id constraint-tightened',
  ],
  [
    'a multipleOf is added',
    (doc) => doc.setIn([...USED, 'amount', 'multipleOf'], 0.01),
    'credit.used data.amount constraint-tightened',
  ],
  [
    'a new required field is added',
    (doc) => {
      doc.setIn([...USED, 'channel'], { type: 'string', description: 'Sales channel.' });
      doc.setIn(USED_REQUIRED, [...(doc.getIn(USED_REQUIRED) as { toJSON(): string[] }).toJSON(), 'channel']);
    },
    'credit.used data.channel required-field-added',
  ],
  [
    'an address changes',
    (doc) => doc.setIn(['channels', 'creditUsed', 'address'], 'credit.usage.recorded'),
    'credit.used channels.creditUsed.address routing-key-changed',
  ],
  [
    'the exchange is made non-durable',
    (doc) =>
      doc.setIn(['components', 'channelBindings', 'customerEventsExchange', 'amqp', 'exchange', 'durable'], false),
    'credit.used channels.creditUsed.bindings.amqp.exchange.durable exchange-changed',
  ],
  [
    'the alternate exchange changes',
    (doc) =>
      doc.setIn(
        ['components', 'channelBindings', 'customerEventsExchange', 'amqp', 'x-alternate-exchange', 'name'],
        'customer_events.lost',
      ),
    'credit.used channels.creditUsed.bindings.amqp.x-alternate-exchange.name binding-changed',
  ],
  [
    'the delivery mode changes',
    (doc) => doc.setIn(['components', 'operationBindings', 'persistentPublish', 'amqp', 'deliveryMode'], 1),
    'credit.used amqp.properties.deliveryMode amqp-property-changed',
  ],
  [
    'an AMQP property is removed',
    (doc) =>
      doc.deleteIn(['components', 'operationBindings', 'persistentPublish', 'amqp', 'x-amqp-properties', 'messageId']),
    'credit.used amqp.properties.messageId amqp-property-removed',
  ],
  [
    'a header is removed',
    (doc) => {
      doc.deleteIn([...SCHEMAS, 'MessageHeaders', 'properties', 'organization_id']);
      doc.deleteIn([...SCHEMAS, 'MessageHeaders', 'required']);
    },
    'credit.used headers.organization_id field-removed',
  ],
  [
    'the server changes',
    (doc) => doc.setIn(['servers', 'rabbitmq', 'protocolVersion'], '1.0'),
    ' servers.rabbitmq.protocolVersion server-changed',
  ],
];

const PASSES: [string, (doc: Document) => void][] = [
  ['a new optional field', (doc) => doc.setIn([...USED, 'channel'], { type: 'string', description: 'Sales channel.' })],
  [
    'a new event',
    (doc) => {
      doc.setIn(['channels', 'creditClosed'], {
        address: 'credit.closed',
        messages: { CreditClosed: { $ref: '#/components/messages/CreditLimitExceeded' } },
        bindings: { $ref: '#/components/channelBindings/customerEventsExchange' },
      });
      doc.setIn(['operations', 'publishCreditClosed'], {
        action: 'send',
        channel: { $ref: '#/channels/creditClosed' },
        messages: [{ $ref: '#/channels/creditClosed/messages/CreditClosed' }],
      });
    },
  ],
  [
    'descriptions and examples',
    (doc) => {
      doc.setIn([...USED, 'amount', 'description'], 'Amount charged.');
      doc.setIn(['components', 'messages', 'CreditUsed', 'examples', 0, 'payload', 'data', 'amount'], 10);
      doc.setIn(['components', 'messages', 'CreditUsed', 'examples', 0, 'payload', 'data', 'credit_available'], 9990);
    },
  ],
  [
    'a $ref moved into components (inlined schema)',
    (doc) => {
      const data = (doc.getIn([...SCHEMAS, 'CreditUsedData']) as { toJSON(): unknown }).toJSON();
      doc.setIn([...SCHEMAS, 'CreditUsedEvent', 'properties', 'data'], data);
    },
  ],
  [
    'a trait',
    (doc) => {
      doc.setIn(['components', 'messageTraits', 'json'], { contentType: 'application/json' });
      doc.deleteIn(['components', 'messages', 'CreditUsed', 'contentType']);
      doc.setIn(['components', 'messages', 'CreditUsed', 'traits'], [{ $ref: '#/components/messageTraits/json' }]);
    },
  ],
  [
    'minimum: 1 → exclusiveMinimum: 0 on an integer',
    (doc) => {
      const points = [...SCHEMAS, 'LoyaltyPointsEarnedData', 'properties', 'points_earned'];
      doc.deleteIn([...points, 'minimum']);
      doc.setIn([...points, 'exclusiveMinimum'], 0);
    },
  ],
  [
    'an operation id renamed with the same address',
    (doc) => {
      const op = doc.getIn(['operations', 'publishCreditUsed']);
      doc.deleteIn(['operations', 'publishCreditUsed']);
      doc.setIn(['operations', 'emitCreditUsed'], op);
    },
  ],
  [
    'a channel id renamed with the same address',
    (doc) => {
      const channel = doc.getIn(['channels', 'creditUsed']);
      doc.deleteIn(['channels', 'creditUsed']);
      doc.setIn(['channels', 'creditUsage'], channel);
      doc.setIn(['operations', 'publishCreditUsed', 'channel', '$ref'], '#/channels/creditUsage');
      doc.setIn(
        ['operations', 'publishCreditUsed', 'messages', 0, '$ref'],
        '#/channels/creditUsage/messages/CreditUsed',
      );
    },
  ],
];

// Consumed events (receive operations), judged from the producer's side in every mode.
const COMPLETED = [...SCHEMAS, 'OrderCompletedData', 'properties'];
const COMPLETED_REQUIRED = [...SCHEMAS, 'OrderCompletedData', 'required'];
const RECEIVED_FAILS: [string, (doc: Document) => void, string][] = [
  [
    'a consumed event gets a new required field',
    (doc) => {
      doc.setIn([...COMPLETED, 'currency'], { type: 'string', description: 'ISO 4217 code.' });
      doc.setIn(COMPLETED_REQUIRED, [
        ...(doc.getIn(COMPLETED_REQUIRED) as { toJSON(): string[] }).toJSON(),
        'currency',
      ]);
    },
    'order.completed data.currency required-field-added',
  ],
  [
    'a consumed field gets a maxLength',
    (doc) => doc.setIn([...COMPLETED, 'order_id', 'maxLength'], 16),
    'order.completed data.order_id constraint-tightened',
  ],
  [
    'a consumed nullable field loses null from its union',
    (doc) => doc.setIn([...COMPLETED, 'customer_id', 'type'], 'string'),
    'order.completed data.customer_id made-non-nullable',
  ],
  [
    'a consumed free string gets an enum',
    (doc) => doc.setIn([...SCHEMAS, 'PaymentReceivedData', 'properties', 'applies_to', 'enum'], ['credit_account']),
    'payment.received data.applies_to values-restricted',
  ],
];
const RECEIVED_PASSES: [string, (doc: Document) => void][] = [
  ['a consumed optional field is removed', (doc) => doc.deleteIn([...COMPLETED, 'store_id'])],
  [
    'a consumed required field is made optional',
    (doc) => doc.setIn(COMPLETED_REQUIRED, ['order_id', 'customer_id', 'total', 'payment_method']),
  ],
  ['a consumed bound is loosened', (doc) => doc.deleteIn([...COMPLETED, 'total', 'minimum'])],
  ['a consumed field is made nullable', (doc) => doc.setIn([...COMPLETED, 'order_id', 'type'], ['string', 'null'])],
];

describe('the mutations of consumed-events.md against asyncapi.yaml (received messages)', () => {
  it.each(RECEIVED_FAILS)('when %s, then every mode fails naming event, path and rule', async (_, edit, expected) => {
    for (const mode of ['full', 'forward', 'backward'] as const) {
      const { ok, found } = await verdict(edit, mode);
      expect(ok, mode).toBe(false);
      expect(rules(found), mode).toContain(expected);
    }
  });

  it.each(RECEIVED_PASSES)('when %s, then every mode passes', async (_, edit) => {
    for (const mode of ['full', 'forward', 'backward'] as const) {
      expect(rules((await verdict(edit, mode)).found), mode).toEqual([]);
    }
  });
});

describe('the mutations of contract-evolution.md against asyncapi.yaml', () => {
  it.each(FAILS)('when %s, then full mode fails naming event, path and rule', async (_, edit, expected) => {
    const { ok, found } = await verdict(edit);
    expect(ok).toBe(false);
    expect(rules(found)).toContain(expected);
  });

  it.each(PASSES)('when %s, then full mode passes', async (_, edit) => {
    const { ok, found } = await verdict(edit);
    expect(rules(found)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('when a new event is added, then the finding lists the bindings it will reach', async () => {
    const addEvent = PASSES[1]?.[1];
    if (!addEvent) throw new Error('PASSES[1] is the new-event mutation');
    const changes = await changesOf(addEvent);
    expect(changes.find((c) => c.rule === 'event-added')?.text).toBe(
      'new event; queues bound with credit.#, credit.*, # will receive it',
    );
  });

  it.each([
    ['a bound is tightened', (doc: Document) => doc.setIn([...USED, 'order_id', 'maxLength'], 16), true, false],
    ['an enum is narrowed', (doc: Document) => doc.setIn([...SCHEMAS, 'CustomerType', 'enum'], ['b2c']), true, false],
    ['a field is removed', (doc: Document) => doc.deleteIn([...USED, 'order_id']), false, true],
    [
      'a field is made nullable',
      (doc: Document) => doc.setIn([...USED, 'order_id', 'type'], ['string', 'null']),
      false,
      true,
    ],
    [
      'the delivery mode changes',
      (doc: Document) => doc.setIn(['components', 'operationBindings', 'persistentPublish', 'amqp', 'deliveryMode'], 1),
      true,
      true,
    ],
  ] as const)(
    'when %s, then forward passes: %s is false / backward fails: %s',
    async (_, edit, backwardFails, forwardFails) => {
      expect((await verdict(edit, 'forward')).ok).toBe(!forwardFails);
      expect((await verdict(edit, 'backward')).ok).toBe(!backwardFails);
    },
  );
});
