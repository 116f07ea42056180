import { describe, expect, it } from 'vitest';
import {
  breaking,
  CREATED_FIELDS,
  changesAfter,
  changesBetween,
  EARNED_DATA,
  EARNED_EVENT_FIELDS,
  EARNED_FIELDS,
  EXCHANGE,
  lines,
} from './helpers.js';

const HEADERS = ['components', 'messageTraits', 'amqpHeaders', 'headers', 'properties'];

describe('compareContracts: breaking changes', () => {
  it('when nothing changed, then there are no changes', async () => {
    expect(await changesAfter(() => {})).toEqual([]);
  });

  it('when an event is removed, then it is breaking and names the event', async () => {
    const changes = await changesAfter((doc) => {
      doc.deleteIn(['channels', 'customerCreated']);
      doc.deleteIn(['operations', 'publishCustomerCreated']);
    });
    expect(lines(changes)).toEqual([
      'BREAKING customer.created: event removed',
      'BREAKING customer.created: operation publishCustomerCreated removed',
    ]);
  });

  it('when a channel id is renamed (same routing key), then it is info: nothing changed on the wire', async () => {
    const changes = await changesAfter((doc) => {
      const channel = doc.getIn(['channels', 'customerCreated']);
      doc.deleteIn(['channels', 'customerCreated']);
      doc.setIn(['channels', 'customerRegistered'], channel);
      doc.setIn(['operations', 'publishCustomerCreated', 'channel', '$ref'], '#/channels/customerRegistered');
      doc.setIn(
        ['operations', 'publishCustomerCreated', 'messages', 0, '$ref'],
        '#/channels/customerRegistered/messages/customerCreated',
      );
    });
    expect(lines(changes)).toEqual([
      'INFO customer.created: channel id renamed customerCreated → customerRegistered (same address)',
    ]);
  });

  it('when a message is removed from its channel, then it is breaking', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn(['channels', 'customerCreated', 'messages'], {
        customerRegistered: { $ref: '#/components/messages/customerCreated' },
      });
      doc.setIn(
        ['operations', 'publishCustomerCreated', 'messages', 0, '$ref'],
        '#/channels/customerCreated/messages/customerRegistered',
      );
    });
    expect(breaking(changes).map((c) => c.rule)).toEqual(['message-removed']);
    expect(lines(changes)).toContain(
      'BREAKING customer.created messages.customerCreated: message id renamed customerCreated → customerRegistered',
    );
  });

  it('when an operation is removed, then it is breaking and the event is no longer published', async () => {
    const changes = await changesAfter((doc) => doc.deleteIn(['operations', 'publishCustomerCreated']));
    expect(lines(changes)).toEqual([
      'BREAKING customer.created: no send operation publishes this event any more',
      'BREAKING customer.created: operation publishCustomerCreated removed',
    ]);
  });

  it('when an operation changes from send to receive, then it is breaking', async () => {
    const changes = await changesAfter((doc) =>
      doc.setIn(['operations', 'publishCustomerCreated', 'action'], 'receive'),
    );
    expect(lines(breaking(changes))).toEqual([
      'BREAKING customer.created: no send operation publishes this event any more',
      'BREAKING customer.created: action changed send → receive',
    ]);
  });

  it('when an optional field is removed, then it is breaking', async () => {
    const changes = await changesAfter((doc) => doc.deleteIn([...EARNED_FIELDS, 'reference_id']));
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned data.reference_id: field removed']);
  });

  it('when a required field is removed, then it is breaking', async () => {
    const changes = await changesAfter((doc) => {
      doc.deleteIn([...EARNED_FIELDS, 'tier']);
      doc.setIn([...EARNED_DATA, 'required'], ['customer_id', 'points_earned']);
    });
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned data.tier: required field removed']);
  });

  it('when a field type changes, then it is breaking with both types', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn([...EARNED_FIELDS, 'tier', 'type'], 'integer');
      doc.deleteIn([...EARNED_FIELDS, 'tier', 'enum']);
    });
    expect(lines(breaking(changes))).toEqual([
      'BREAKING loyalty.points.earned data.tier: type changed string → integer',
    ]);
  });

  it('when a field type widens from integer to number, then it is breaking', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_FIELDS, 'points_earned', 'type'], 'number'));
    expect(lines(changes)).toEqual([
      'BREAKING loyalty.points.earned data.points_earned: type changed integer → number',
    ]);
  });

  it('when the type of array items changes, then it is breaking at the items path', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_FIELDS, 'tags', 'items', 'type'], 'integer'));
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned data.tags[]: type changed string → integer']);
  });

  it('when a format changes, then it is breaking', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_EVENT_FIELDS, 'timestamp', 'format'], 'date'));
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned timestamp: format changed date-time → date']);
  });

  it('when a format is removed, then it is breaking', async () => {
    const changes = await changesAfter((doc) => doc.deleteIn([...CREATED_FIELDS, 'email', 'format']));
    expect(lines(changes)).toEqual(['BREAKING customer.created data.email: format email removed']);
  });

  it('when a required field is made optional, then it is breaking', async () => {
    const changes = await changesAfter((doc) =>
      doc.setIn([...EARNED_DATA, 'required'], ['customer_id', 'points_earned']),
    );
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned data.tier: field made optional']);
  });

  it('when a field is made nullable with a type array, then it is breaking', async () => {
    const changes = await changesAfter((doc) =>
      doc.setIn([...EARNED_FIELDS, 'customer_id', 'type'], ['string', 'null']),
    );
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned data.customer_id: made nullable']);
  });

  it('when a field is made nullable with oneOf [X, null], then it is breaking and nothing else changed', async () => {
    const changes = await changesAfter((doc) =>
      doc.setIn([...EARNED_FIELDS, 'reference_id'], {
        oneOf: [{ type: 'string', maxLength: 64 }, { type: 'null' }],
      }),
    );
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned data.reference_id: made nullable']);
  });

  it('when a value is added to an enum, then it is breaking', async () => {
    const changes = await changesAfter((doc) =>
      doc.setIn([...EARNED_FIELDS, 'tier', 'enum'], ['bronze', 'silver', 'gold', 'platinum']),
    );
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned data.tier: enum widened: added "platinum"']);
  });

  it('when an enum is removed, then it is breaking', async () => {
    const changes = await changesAfter((doc) => doc.deleteIn([...EARNED_FIELDS, 'tier', 'enum']));
    expect(lines(changes)).toEqual([
      'BREAKING loyalty.points.earned data.tier: enum removed (was "bronze", "silver", "gold")',
    ]);
  });

  it('when a const changes (the envelope version), then it is breaking', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_EVENT_FIELDS, 'version', 'const'], '2.0'));
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned version: const changed "1.0" → "2.0"']);
  });

  it('when a const is removed, then it is breaking', async () => {
    const changes = await changesAfter((doc) => doc.deleteIn([...EARNED_EVENT_FIELDS, 'event', 'const']));
    expect(lines(changes)).toEqual([
      'BREAKING loyalty.points.earned event: const removed (was "loyalty.points.earned")',
    ]);
  });

  it('when a routing key (channel address) changes, then it is breaking once, on the channel', async () => {
    const changes = await changesAfter((doc) =>
      doc.setIn(['channels', 'customerCreated', 'address'], 'customer.registered'),
    );
    expect(lines(changes)).toEqual([
      'BREAKING customer.created: routing key changed customer.created → customer.registered',
    ]);
  });

  it.each([
    ['name', 'customer_events_v2', 'exchange name changed customer_events → customer_events_v2'],
    ['type', 'direct', 'exchange type changed topic → direct'],
    ['durable', false, 'exchange durable changed true → false'],
  ])('when the exchange %s changes, then every event reports it as breaking', async (key, value, text) => {
    const changes = await changesAfter((doc) => doc.setIn([...EXCHANGE, key], value));
    expect(lines(changes)).toEqual([
      `BREAKING loyalty.points.earned bindings.amqp.exchange.${key}: ${text}`,
      `BREAKING customer.created bindings.amqp.exchange.${key}: ${text}`,
    ]);
    expect(changes.every((c) => c.rule === 'exchange-changed')).toBe(true);
  });

  it('when a maxLength grows or a minimum is dropped, then it is breaking', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn([...EARNED_FIELDS, 'reference_id', 'maxLength'], 128);
      doc.deleteIn([...EARNED_FIELDS, 'points_earned', 'minimum']);
    });
    expect(lines(changes)).toEqual([
      'BREAKING loyalty.points.earned data.points_earned: minimum loosened >= 1 → none',
      'BREAKING loyalty.points.earned data.reference_id: maxLength loosened 64 → 128',
    ]);
  });

  it('when a header field is removed, then it is breaking under headers.', async () => {
    const changes = await changesAfter((doc) => {
      doc.deleteIn([...HEADERS, 'message_id']);
      doc.deleteIn(['components', 'messageTraits', 'amqpHeaders', 'headers', 'required']);
    });
    expect(lines(changes)).toEqual(['BREAKING loyalty.points.earned headers.message_id: required field removed']);
  });

  it('when the content type changes, then it is breaking', async () => {
    const changes = await changesAfter((doc) =>
      doc.setIn(['components', 'messages', 'customerCreated', 'contentType'], 'application/avro'),
    );
    expect(lines(changes)).toEqual([
      'BREAKING customer.created contentType: content type changed application/json → application/avro',
      'BREAKING customer.created amqp.properties.contentType: AMQP property contentType changed "application/json" → "application/avro"',
    ]);
  });

  it('when a keyword the check does not analyse changes, then it is breaking (unclassified) rather than silent', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_FIELDS, 'customer_id', 'not'], { const: '' }));
    expect(breaking(changes).map((c) => [c.rule, c.path])).toEqual([['unclassified', 'data.customer_id']]);
  });
});

describe('compareContracts: additive and informational changes pass', () => {
  it('when an optional field is added, then it is additive and listed', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_FIELDS, 'channel'], { type: 'string' }));
    expect(lines(changes)).toEqual(['ADDITIVE loyalty.points.earned data.channel: new optional field']);
  });

  it('when a required field is added, then it is listed as a new required field (the gate judges it backward-breaking)', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn([...EARNED_FIELDS, 'points_balance'], { type: 'integer' });
      doc.setIn([...EARNED_DATA, 'required'], ['customer_id', 'points_earned', 'tier', 'points_balance']);
    });
    expect(lines(changes)).toEqual([
      'ADDITIVE loyalty.points.earned data.points_balance: new required field (old events lack it)',
    ]);
  });

  it('when a new event is added, then it is additive and listed', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn(['channels', 'customerDeleted'], {
        address: 'customer.deleted',
        messages: { customerDeleted: { $ref: '#/components/messages/customerDeleted' } },
        bindings: { $ref: '#/components/channelBindings/customerEvents' },
      });
      doc.setIn(['operations', 'publishCustomerDeleted'], {
        action: 'send',
        channel: { $ref: '#/channels/customerDeleted' },
        messages: [{ $ref: '#/channels/customerDeleted/messages/customerDeleted' }],
      });
      doc.setIn(['components', 'messages', 'customerDeleted'], {
        name: 'customer.deleted',
        payload: { type: 'object', properties: { customer_id: { type: 'string' } } },
      });
    });
    expect(lines(changes)).toEqual([
      'ADDITIVE customer.deleted: new event; queues bound with customer.#, customer.*, # will receive it',
      'ADDITIVE customer.deleted: new operation publishCustomerDeleted',
    ]);
  });

  it('when descriptions are edited, then it is info only', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn([...EARNED_FIELDS, 'customer_id', 'description'], 'The customer who earned the points.');
      doc.setIn(['channels', 'loyaltyPointsEarned', 'description'], 'Points credited.');
      doc.setIn(['info', 'description'], 'Edited.');
    });
    expect(breaking(changes)).toEqual([]);
    expect(lines(changes)).toEqual([
      'INFO (document) info.description: description changed',
      'INFO loyalty.points.earned: description changed',
      'INFO loyalty.points.earned data.customer_id: description changed',
    ]);
  });

  it('when an example is added, then it is additive and listed', async () => {
    const changes = await changesAfter((doc) =>
      doc.addIn(['components', 'messages', 'loyaltyPointsEarned', 'examples'], {
        name: 'birthdayBonus',
        payload: { event: 'loyalty.points.earned' },
      }),
    );
    expect(lines(changes)).toEqual([
      'ADDITIVE loyalty.points.earned examples.birthdayBonus: new example birthdayBonus',
    ]);
  });

  it('when an enum value is removed (narrowed), then it is info and listed', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_FIELDS, 'tier', 'enum'], ['silver', 'gold']));
    expect(lines(changes)).toEqual(['INFO loyalty.points.earned data.tier: enum narrowed: removed "bronze"']);
  });

  it('when additionalProperties false is opened, then it is info (tolerant readers), not breaking', async () => {
    const changes = await changesAfter((doc) => doc.setIn([...EARNED_DATA, 'additionalProperties'], true));
    expect(changes.map((c) => [c.severity, c.rule, c.path])).toEqual([
      ['info', 'additional-properties-opened', 'data'],
    ]);
  });

  it('when an optional field becomes required, a nullable one non-nullable or a bound tighter, then it is info', async () => {
    const changes = await changesAfter((doc) => {
      doc.setIn(['components', 'schemas', 'CustomerCreatedData', 'required'], ['customer_id', 'email', 'phone']);
      doc.setIn([...CREATED_FIELDS, 'phone', 'type'], 'string');
      doc.setIn([...EARNED_FIELDS, 'reference_id', 'maxLength'], 32);
    });
    expect(breaking(changes)).toEqual([]);
    expect(lines(changes)).toEqual([
      'INFO loyalty.points.earned data.reference_id: maxLength tightened 64 → 32',
      'INFO customer.created data.phone: field is now required',
      'INFO customer.created data.phone: no longer nullable',
    ]);
  });

  it('when a type narrows from number to integer, then it is info', async () => {
    const changes = await changesBetween(
      (base) => base.setIn([...EARNED_FIELDS, 'points_earned', 'type'], 'number'),
      () => {},
    );
    expect(lines(changes)).toEqual(['INFO loyalty.points.earned data.points_earned: type narrowed number → integer']);
  });
});
