import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Document, parseDocument } from 'yaml';
import { type Change, judge, MODES } from '../../scripts/contract/change.js';
import { main } from '../../scripts/contract-check.js';
import { CONSUMED_FIXTURE, changesAfterIn, changesBetweenIn, lines } from './helpers.js';

// Received messages (receive operations) are judged from the producer's side: the producer keeps sending what the
// released schema admitted, so a change that refuses any of it is breaking, in every mode; a loosening is safe.
// The published event of the same fixture keeps the consumers' rules.

const ORDER_DATA = ['components', 'schemas', 'OrderCompletedData'];
const ORDER_FIELDS = [...ORDER_DATA, 'properties'];
const ORDER_REQUIRED = [...ORDER_DATA, 'required'];
const EARNED_DATA = ['components', 'schemas', 'LoyaltyPointsEarnedData'];
const REQUIRED = ['order_id', 'customer_id', 'total', 'completed_at'];

const changesAfter = (edit: (doc: Document) => void) => changesAfterIn(CONSUMED_FIXTURE, edit);

/** The breaking findings in each mode, as `rule path` strings. */
function breakingByMode(changes: readonly Change[]): Record<string, string[]> {
  return Object.fromEntries(
    MODES.map((mode) => [
      mode,
      judge(changes, mode)
        .filter((c) => c.severity === 'breaking')
        .map((c) => `${c.rule} ${c.path}`),
    ]),
  );
}

const REFUSES: [string, (doc: Document) => void, string][] = [
  [
    'a new required field',
    (doc) => {
      doc.setIn([...ORDER_FIELDS, 'currency'], { type: 'string' });
      doc.setIn(ORDER_REQUIRED, [...REQUIRED, 'currency']);
    },
    'required-field-added data.currency',
  ],
  [
    'an optional field made required',
    (doc) => doc.setIn(ORDER_REQUIRED, [...REQUIRED, 'store_id']),
    'field-made-required data.store_id',
  ],
  [
    'a nullable field made non-nullable',
    (doc) => doc.setIn([...ORDER_FIELDS, 'customer_id', 'type'], 'string'),
    'made-non-nullable data.customer_id',
  ],
  [
    'a type removed from a union',
    (doc) => doc.setIn([...ORDER_FIELDS, 'quantity', 'type'], 'integer'),
    'type-narrowed data.quantity',
  ],
  [
    'a type narrowed from number to integer',
    (doc) => doc.setIn([...ORDER_FIELDS, 'total', 'type'], 'integer'),
    'type-narrowed data.total',
  ],
  ['a type replaced', (doc) => doc.setIn([...ORDER_FIELDS, 'total', 'type'], 'string'), 'type-changed data.total'],
  [
    'an enum narrowed',
    (doc) => doc.setIn([...ORDER_FIELDS, 'channel', 'enum'], ['web', 'store']),
    'enum-narrowed data.channel',
  ],
  [
    'an enum put on a free string',
    (doc) => doc.setIn([...ORDER_FIELDS, 'payment_method', 'enum'], ['cash', 'card', 'credit']),
    'values-restricted data.payment_method',
  ],
  [
    'a maxLength tightened',
    (doc) => doc.setIn([...ORDER_FIELDS, 'order_id', 'maxLength'], 16),
    'constraint-tightened data.order_id',
  ],
  ['a minimum raised', (doc) => doc.setIn([...ORDER_FIELDS, 'total', 'minimum'], 1), 'constraint-tightened data.total'],
  [
    'a pattern added',
    (doc) => doc.setIn([...ORDER_FIELDS, 'order_id', 'pattern'], '^order_'),
    'constraint-tightened data.order_id',
  ],
  ['a format added', (doc) => doc.setIn([...ORDER_FIELDS, 'order_id', 'format'], 'uuid'), 'format-added data.order_id'],
  [
    'the object closed',
    (doc) => doc.setIn([...ORDER_DATA, 'additionalProperties'], false),
    'additional-properties-closed data',
  ],
  [
    'the envelope version const changed',
    (doc) => doc.setIn(['components', 'schemas', 'OrderCompletedEvent', 'properties', 'version', 'const'], '2.0'),
    'const-changed version',
  ],
];

const LOOSENS: [string, (doc: Document) => void][] = [
  ['a required field made optional', (doc) => doc.setIn(ORDER_REQUIRED, ['order_id', 'customer_id', 'total'])],
  ['a field made nullable', (doc) => doc.setIn([...ORDER_FIELDS, 'order_id', 'type'], ['string', 'null'])],
  [
    'a type widened (integer|string → number|string)',
    (doc) => doc.setIn([...ORDER_FIELDS, 'quantity', 'type'], ['number', 'string']),
  ],
  ['a type added to a union', (doc) => doc.setIn([...ORDER_FIELDS, 'payment_method', 'type'], ['string', 'integer'])],
  ['an enum widened', (doc) => doc.setIn([...ORDER_FIELDS, 'channel', 'enum'], ['web', 'store', 'app', 'phone'])],
  ['an enum dropped', (doc) => doc.deleteIn([...ORDER_FIELDS, 'channel', 'enum'])],
  ['a maxLength loosened', (doc) => doc.setIn([...ORDER_FIELDS, 'order_id', 'maxLength'], 128)],
  ['a minimum dropped', (doc) => doc.deleteIn([...ORDER_FIELDS, 'total', 'minimum'])],
  ['a format dropped', (doc) => doc.deleteIn([...ORDER_FIELDS, 'completed_at', 'format'])],
  ['a field we no longer read removed (the object is open)', (doc) => doc.deleteIn([...ORDER_FIELDS, 'store_id'])],
  ['a new optional field', (doc) => doc.setIn([...ORDER_FIELDS, 'currency'], { type: 'string' })],
];

describe('contract-check: received messages judged from the producer side', () => {
  it.each(REFUSES)(
    'when a consumed event gets %s, then every mode fails naming the rule and path',
    async (_, edit, expected) => {
      const byMode = breakingByMode(await changesAfter(edit));
      for (const mode of MODES) expect(byMode[mode], mode).toContain(expected);
    },
  );

  it.each(LOOSENS)('when a consumed event gets %s, then every mode passes', async (_, edit) => {
    const byMode = breakingByMode(await changesAfter(edit));
    expect(byMode).toEqual({ full: [], forward: [], backward: [] });
  });

  it('when compared without a mode (compareContracts), then a consumed event\u2019s severities already read from the producer side', async () => {
    const loosened = await changesAfter(LOOSENS[0]![1]);
    expect(lines(loosened)).toEqual(['INFO order.completed data.completed_at: field made optional']);
    const tightened = await changesAfter(REFUSES[0]![1]);
    expect(lines(tightened)).toEqual([
      'BREAKING order.completed data.currency: new required field (old events lack it)',
    ]);
  });

  it('when a consumed field is made optional, then the finding is info and says it is a consumed event', async () => {
    const changes = judge(await changesAfter(LOOSENS[0]![1]), 'full');
    expect(lines(changes)).toEqual(['INFO order.completed data.completed_at: field made optional']);
    expect(changes[0]).toMatchObject({ side: 'received', direction: 'none' });
  });

  it('when a consumed type is widened, then it is info; when it is replaced, it is breaking with both types', async () => {
    const widened = await changesAfter((doc) => doc.setIn([...ORDER_FIELDS, 'quantity', 'type'], ['number', 'string']));
    expect(lines(judge(widened, 'full'))).toEqual([
      'INFO order.completed data.quantity: type changed integer|string → number|string',
    ]);
    const narrowed = await changesAfter((doc) => doc.setIn([...ORDER_FIELDS, 'quantity', 'type'], 'number'));
    expect(lines(judge(narrowed, 'full'))).toEqual([
      'BREAKING order.completed data.quantity: type changed integer|string → number',
    ]);
    const replaced = await changesAfter((doc) => doc.setIn([...ORDER_FIELDS, 'total', 'type'], 'string'));
    expect(lines(judge(replaced, 'full'))).toEqual([
      'BREAKING order.completed data.total: type changed number → string',
    ]);
  });

  it.each([
    [
      'a pattern is replaced by another',
      'order_id',
      'pattern',
      '^order_',
      '^ord_',
      ['constraint-loosened data.order_id'],
    ],
    ['a pattern is removed', 'order_id', 'pattern', '^order_', undefined, []],
    [
      'a multipleOf is replaced by one that is no divisor',
      'total',
      'multipleOf',
      2,
      3,
      ['constraint-loosened data.total'],
    ],
    ['a multipleOf is replaced by a divisor of it', 'total', 'multipleOf', 4, 2, []],
  ] as const)(
    'when %s on a consumed field, then it fails exactly when old values may be refused',
    async (_, name, key, before, after, expected) => {
      const field = [...ORDER_FIELDS, name];
      const changes = await changesBetweenIn(
        CONSUMED_FIXTURE,
        (doc) => doc.setIn([...field, key], before),
        (doc) => (after === undefined ? doc.deleteIn([...field, key]) : doc.setIn([...field, key], after)),
      );
      const byMode = breakingByMode(changes);
      for (const mode of MODES) expect(byMode[mode], mode).toEqual(expected);
    },
  );

  it('when the published event of the same document loosens, then the consumers\u2019 rules still apply', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_DATA, 'required'], ['customer_id']));
    expect(breakingByMode(changes)).toEqual({
      full: ['field-made-optional data.points_earned'],
      forward: ['field-made-optional data.points_earned'],
      backward: [],
    });
    expect(changes.every((c) => c.side === undefined)).toBe(true);
  });

  it('when the published event of the same document gets a new required field, then only forward mode passes', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn([...EARNED_DATA, 'properties', 'tier'], { type: 'string' });
      doc.setIn([...EARNED_DATA, 'required'], ['customer_id', 'points_earned', 'tier']);
    });
    expect(breakingByMode(changes)).toEqual({
      full: ['required-field-added data.tier'],
      forward: [],
      backward: ['required-field-added data.tier'],
    });
  });

  it.each([
    [
      'the producer exchange is renamed',
      (doc: Document) =>
        doc.setIn(['components', 'channelBindings', 'orderEventsExchange', 'amqp', 'exchange', 'name'], 'orders'),
      'exchange-changed channels.orderCompleted.bindings.amqp.exchange.name',
    ],
    [
      'our queue is renamed',
      (doc: Document) =>
        doc.setIn(['components', 'operationBindings', 'orderEventsQueue', 'amqp', 'x-queue', 'name'], 'cs.orders'),
      'binding-changed operations.receiveOrderCompleted.bindings.amqp.x-queue.name',
    ],
    [
      'the routing key changes',
      (doc: Document) => doc.setIn(['channels', 'orderCompleted', 'address'], 'order.closed'),
      'routing-key-changed channels.orderCompleted.address',
    ],
  ])('when %s, then the wire change fails in every mode', async (_, edit, expected) => {
    const byMode = breakingByMode(await changesAfter(edit));
    for (const mode of MODES) expect(byMode[mode], mode).toContain(expected);
  });

  it('when a consumed event is added, then it is additive and names its exchange and our queue', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn(['channels', 'orderCancelled'], {
        address: 'order.cancelled',
        messages: { OrderCancelled: { $ref: '#/components/messages/OrderCancelled' } },
        bindings: { $ref: '#/components/channelBindings/orderEventsExchange' },
      });
      doc.setIn(['operations', 'receiveOrderCancelled'], {
        action: 'receive',
        channel: { $ref: '#/channels/orderCancelled' },
        messages: [{ $ref: '#/channels/orderCancelled/messages/OrderCancelled' }],
        bindings: { $ref: '#/components/operationBindings/orderEventsQueue' },
      });
      doc.setIn(['components', 'messages', 'OrderCancelled'], {
        name: 'OrderCancelled',
        payload: { type: 'object', properties: { event: { type: 'string', const: 'order.cancelled' } } },
      });
    });
    expect(lines(judge(changes, 'full'))).toEqual([
      'ADDITIVE order.cancelled: new consumed event from order_events (queue customer-service.order-events)',
      'ADDITIVE order.cancelled: new operation receiveOrderCancelled',
    ]);
  });

  it('when a consumed event is removed, then it is breaking and says the service no longer reads it', async () => {
    const changes = await changesAfter((doc) => {
      doc.deleteIn(['channels', 'orderCompleted']);
      doc.deleteIn(['operations', 'receiveOrderCompleted']);
    });
    expect(lines(judge(changes, 'full'))).toEqual([
      'BREAKING order.completed: consumed event removed (the service no longer reads it)',
      'BREAKING order.completed: operation receiveOrderCompleted removed',
    ]);
  });
});

describe('npm run contract:check on a consumed event', () => {
  let dir: string;
  let narrowed: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'contract-received-'));
    const doc = parseDocument(readFileSync(CONSUMED_FIXTURE, 'utf8'));
    doc.setIn([...ORDER_FIELDS, 'channel', 'enum'], ['web', 'store']);
    narrowed = join(dir, 'narrowed.yaml');
    await writeFile(narrowed, doc.toString());
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(MODES)(
    'when a consumed enum is narrowed, then --mode %s exits 1 and says producers may send it',
    async (mode) => {
      let stdout = '';
      const code = await main(['--base', fileURLToPath(CONSUMED_FIXTURE), '--spec', narrowed, '--mode', mode], {
        log: (text) => {
          stdout += `${text}\n`;
        },
        error: () => {},
      });
      expect(code).toBe(1);
      expect(stdout).toContain(
        'BREAKING order.completed data.channel: enum narrowed: removed "app" (enum-narrowed, refuses what producers may send)',
      );
    },
  );
});
