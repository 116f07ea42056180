import { describe, expect, it } from 'vitest';
import { EVENT_NAMES as SERVICE_EVENT_NAMES, eventSchemas as serviceSchemas } from '../../generated/index.js';
import {
  EVENT_NAMES,
  type EventEnvelopeMap,
  type EventHandlers,
  eventSchemas,
  examples,
  memoryDedupe,
  validateEvent,
} from '../../generated/sdk/src/index.js';

describe('validateEvent and examples', () => {
  it('when the SDK is generated, then it has every event of the service, with the same consumer schemas', () => {
    expect(EVENT_NAMES).toEqual(SERVICE_EVENT_NAMES);
    for (const name of EVENT_NAMES) expect(eventSchemas[name]).toEqual(serviceSchemas[name]);
  });

  it("when each of the contract's examples is validated, then it is valid", () => {
    for (const name of EVENT_NAMES) {
      expect(examples[name].length, name).toBeGreaterThan(0);
      for (const example of examples[name]) expect(validateEvent(name, example), name).toEqual({ ok: true });
    }
  });

  it('when a field has the wrong type or is missing, then the errors name each field', () => {
    const [example] = examples['loyalty.points.earned'];
    const { customer_id: _dropped, ...data } = example?.data ?? { customer_id: '' };
    const result = validateEvent('loyalty.points.earned', { ...example, data: { ...data, points_earned: 'x' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field).sort()).toEqual(['data.customer_id', 'data.points_earned']);
    expect(result.errors.every((error) => error.message.length > 0)).toBe(true);
  });

  it('when the body is not an object, then the error names the body', () => {
    expect(validateEvent('credit.used', 'text')).toEqual({
      ok: false,
      errors: [{ field: '(body)', message: 'must be object' }],
    });
  });

  it('when an unknown extra field is present, then the body is still valid (tolerant reader)', () => {
    const [example] = examples['credit.used'];
    expect(validateEvent('credit.used', { ...example, later: true })).toEqual({ ok: true });
  });
});

describe('memoryDedupe', () => {
  it('when more than max ids are remembered, then the oldest are forgotten first', async () => {
    const store = memoryDedupe({ max: 2 });
    await store.remember('a');
    await store.remember('b');
    await store.remember('c');
    expect([await store.seen('a'), await store.seen('b'), await store.seen('c')]).toEqual([false, true, true]);
  });
});

describe('handler types', () => {
  it('when a handler key is not an event or reads an undeclared field, then it does not type-check', () => {
    const handlers: EventHandlers = {
      'loyalty.points.earned': (event) => {
        const points: number = event.data.points_earned;
        // @ts-expect-error the contract has no `discount` in loyalty.points.earned data
        void event.data.discount;
        void points;
      },
      // @ts-expect-error not an event of the contract
      'loyalty.points.burnt': () => {},
    };
    const envelope: EventEnvelopeMap['credit.used'] | undefined = examples['credit.used'][0];
    expect(Object.keys(handlers)).toContain('loyalty.points.earned');
    expect(envelope?.event).toBe('credit.used');
  });
});
