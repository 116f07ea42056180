import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  EVENT_NAMES,
  type EventEnvelope,
  type EventEnvelopeOf,
  type EventName,
  eventExamples,
  eventSchemas,
  isEventName,
  strictEventSchemas,
} from '../../generated/index.js';
import { createAjv, describeErrors } from '../../scripts/lib/generate/examples.js';

const SEED_DIR = path.resolve(import.meta.dirname, '../fixtures/seed-examples');
const SEED_ORDER = [
  'customer.created',
  'customer.updated',
  'loyalty.points.earned',
  'loyalty.points.redeemed',
  'loyalty.tier.upgraded',
  'credit.approved',
  'credit.used',
  'credit.limit.exceeded',
];

/** The example of each event of the original (Spanish) contract, copied verbatim into test/fixtures/seed-examples. */
function seedExamples(): Record<string, unknown>[] {
  const files = readdirSync(SEED_DIR).filter((file) => file.endsWith('.json'));
  return files
    .map((file) => JSON.parse(readFileSync(path.join(SEED_DIR, file), 'utf8')) as Record<string, unknown>)
    .sort((a, b) => SEED_ORDER.indexOf(String(a.event)) - SEED_ORDER.indexOf(String(b.event)));
}

// Compiled once, with the same strictness as the service's validators.
const ajv = createAjv();
const consumerValidators = new Map<EventName, ValidateFunction>(
  EVENT_NAMES.map((name) => [name, ajv.compile(eventSchemas[name])]),
);
const strictValidators = new Map<EventName, ValidateFunction>(
  EVENT_NAMES.map((name) => [name, ajv.compile(strictEventSchemas[name])]),
);

type Variant = 'consumer' | 'strict';

function validatorFor(name: string, variant: Variant): ValidateFunction {
  const validators = variant === 'consumer' ? consumerValidators : strictValidators;
  const validate = isEventName(name) ? validators.get(name) : undefined;
  if (!validate) throw new Error(`no schema for event ${name}`);
  return validate;
}

/**
 * The ajv errors of `value` against the schema of `name`, one line each (empty when valid): by default the strict
 * variant, what the service validates what it publishes against.
 */
function errorsOf(name: EventName, value: unknown, variant: Variant = 'strict'): string[] {
  const validate = validatorFor(name, variant);
  return validate(value) ? [] : describeErrors(validate.errors);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function firstExample(name: EventName): Record<string, unknown> {
  const [example] = eventExamples[name];
  if (example === null || typeof example !== 'object') throw new Error(`no example for ${name}`);
  return clone(example as Record<string, unknown>);
}

function dataOf(envelope: Record<string, unknown>): Record<string, unknown> {
  return envelope.data as Record<string, unknown>;
}

describe('the seed examples (test/fixtures/seed-examples)', () => {
  const seeds = seedExamples();

  it('when its JSON blocks are read, then all eight original events are found', () => {
    expect(seeds.map((seed) => seed.event)).toEqual([
      'customer.created',
      'customer.updated',
      'loyalty.points.earned',
      'loyalty.points.redeemed',
      'loyalty.tier.upgraded',
      'credit.approved',
      'credit.used',
      'credit.limit.exceeded',
    ]);
  });

  it.each(seeds.map((seed) => [String(seed.event), seed]))(
    'when the seed example of %s is validated against its generated schema, then it passes',
    (name, seed) => {
      expect(isEventName(name)).toBe(true);
      if (!isEventName(name)) return;
      expect(errorsOf(name, seed, 'consumer')).toEqual([]);
      expect(errorsOf(name, seed, 'strict')).toEqual([]);
    },
  );

  it.each(seeds.map((seed) => [String(seed.event), seed]))(
    'when the seed example of %s carries an extra field (envelope and data), then the consumer schema accepts it and the strict one refuses it',
    (name, seed) => {
      if (!isEventName(name)) throw new Error(`unknown event ${name}`);
      const extended = structuredClone(seed) as Record<string, unknown>;
      extended.trace_id = 'tr_1';
      (extended.data as Record<string, unknown>).added_later = 42;
      expect(errorsOf(name, extended, 'consumer')).toEqual([]);
      expect(errorsOf(name, extended, 'strict')).toEqual([
        '(root) must NOT have additional properties (trace_id)',
        '/data must NOT have additional properties (added_later)',
      ]);
    },
  );

  it.each(seeds.map((seed) => [String(seed.event), seed]))(
    'when the AsyncAPI examples of %s are compared with the seed, then the seed example is among them verbatim',
    (name, seed) => {
      if (!isEventName(name)) throw new Error(`unknown event ${name}`);
      expect(eventExamples[name]).toContainEqual(seed);
    },
  );
});

describe('eventExamples', () => {
  it.each(EVENT_NAMES.map((name) => [name]))(
    'when the examples of %s are validated, then there is at least one and each passes',
    (name) => {
      expect(eventExamples[name].length).toBeGreaterThan(0);
      for (const example of eventExamples[name]) expect(errorsOf(name, example)).toEqual([]);
    },
  );

  it('when credit.payment.received is read, then its examples cover a reference and no reference (null)', () => {
    const references = eventExamples['credit.payment.received'].map(
      (example) => dataOf(example as Record<string, unknown>).reference,
    );
    expect(references).toContain(null);
    expect(references.some((reference) => typeof reference === 'string')).toBe(true);
  });
});

describe('near misses', () => {
  it('when a required field is missing, then validation fails naming it', () => {
    const envelope = firstExample('customer.created');
    delete dataOf(envelope).customer_id;
    expect(errorsOf('customer.created', envelope)).toEqual([
      "/data must have required property 'customer_id' (customer_id)",
    ]);
  });

  it('when a field has the wrong type, then validation fails at that field', () => {
    const envelope = firstExample('loyalty.points.earned');
    dataOf(envelope).points_earned = '100';
    expect(errorsOf('loyalty.points.earned', envelope)).toEqual(['/data/points_earned must be integer']);
  });

  it('when points are a fraction, then validation fails at that field', () => {
    const envelope = firstExample('loyalty.points.redeemed');
    dataOf(envelope).points_redeemed = 1.5;
    expect(errorsOf('loyalty.points.redeemed', envelope)).toEqual(['/data/points_redeemed must be integer']);
  });

  it('when an extra field is added, then validation fails naming it', () => {
    const envelope = firstExample('credit.used');
    dataOf(envelope).currency = 'USD';
    expect(errorsOf('credit.used', envelope)).toEqual(['/data must NOT have additional properties (currency)']);
  });

  it('when an extra field is added to the envelope, then validation fails naming it', () => {
    const envelope = firstExample('credit.used');
    envelope.source = 'test';
    expect(errorsOf('credit.used', envelope)).toEqual(['(root) must NOT have additional properties (source)']);
  });

  it('when the envelope carries another event name, then validation fails at /event', () => {
    const envelope = firstExample('customer.created');
    envelope.event = 'customer.updated';
    expect(errorsOf('customer.created', envelope)).toEqual(['/event must be equal to constant']);
  });

  it('when the timestamp is malformed, then validation fails at /timestamp', () => {
    const envelope = firstExample('credit.approved');
    envelope.timestamp = '2025-11-24 11:00';
    expect(errorsOf('credit.approved', envelope)).toEqual(['/timestamp must match format "date-time"']);
  });

  it('when the due date is not a date, then validation fails at /data/due_date', () => {
    const envelope = firstExample('credit.used');
    dataOf(envelope).due_date = '24/12/2025';
    expect(errorsOf('credit.used', envelope)).toEqual(['/data/due_date must match format "date"']);
  });

  it('when the version is not 1.0, then validation fails at /version', () => {
    const envelope = firstExample('credit.used');
    envelope.version = '2.0';
    expect(errorsOf('credit.used', envelope)).toEqual(['/version must be equal to constant']);
  });

  it('when customer.updated has no changes, then validation fails at /data/changes', () => {
    const envelope = firstExample('customer.updated');
    dataOf(envelope).changes = {};
    expect(errorsOf('customer.updated', envelope)).toEqual(['/data/changes must NOT have fewer than 1 properties']);
  });

  it('when customer.updated changes a field that cannot be patched, then validation fails naming it', () => {
    const envelope = firstExample('customer.updated');
    dataOf(envelope).changes = { customer_type: 'b2b' };
    expect(errorsOf('customer.updated', envelope)).toEqual([
      '/data/changes must NOT have additional properties (customer_type)',
    ]);
  });

  it('when customer.updated clears the email and tax id, then null is accepted', () => {
    const envelope = firstExample('customer.updated');
    dataOf(envelope).changes = { email: null, tax_id: null };
    expect(errorsOf('customer.updated', envelope)).toEqual([]);
  });

  it('when an organization uses its own tier names, then any tier string is accepted', () => {
    const envelope = firstExample('loyalty.tier.upgraded');
    Object.assign(dataOf(envelope), { previous_tier: 'plata', new_tier: 'oro' });
    expect(errorsOf('loyalty.tier.upgraded', envelope)).toEqual([]);
  });
});

describe('generated types', () => {
  it('when an envelope type is looked up by name, then event and version are literal types', () => {
    expectTypeOf<EventEnvelopeOf<'customer.created'>['event']>().toEqualTypeOf<'customer.created'>();
    expectTypeOf<EventEnvelopeOf<'credit.used'>['version']>().toEqualTypeOf<'1.0'>();
    expectTypeOf<EventEnvelopeOf<'credit.used'>['data']['amount']>().toEqualTypeOf<number>();
    expectTypeOf<EventEnvelopeOf<'customer.created'>['data']['email']>().toEqualTypeOf<string | null>();
    expectTypeOf<EventEnvelopeOf<'customer.created'>['data']['customer_type']>().toEqualTypeOf<'b2c' | 'b2b'>();
    expectTypeOf<EventEnvelope['event']>().toEqualTypeOf<EventName>();
  });

  it('when the event names are listed, then they are every event of the document, in document order', () => {
    expect(EVENT_NAMES).toEqual([
      'customer.created',
      'customer.updated',
      'customer.anonymized',
      'loyalty.points.earned',
      'loyalty.points.redeemed',
      'loyalty.tier.upgraded',
      'loyalty.points.reversed',
      'loyalty.points.expired',
      'loyalty.points.expiring',
      'credit.approved',
      'credit.used',
      'credit.limit.exceeded',
      'credit.payment.received',
      'credit.overdue',
      'credit.hold.placed',
      'credit.hold.released',
      'credit.usage.cancelled',
    ]);
    expect(isEventName('credit.used')).toBe(true);
    expect(isEventName('customer.deleted')).toBe(false);
  });

  it('when the schemas are walked, then every consumer object is open, every strict one closed, every field described', () => {
    const problems: string[] = [];
    const walk = (schema: Record<string, unknown>, where: string, variant: Variant = 'strict'): void => {
      if (schema.type === 'object' && variant === 'strict' && schema.additionalProperties !== false) {
        problems.push(`${where} is open in the strict variant`);
      }
      if (variant === 'consumer' && 'additionalProperties' in schema) problems.push(`${where} is closed for consumers`);
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, property] of Object.entries(properties)) {
        if (typeof property.description !== 'string' || property.description === '') {
          problems.push(`${where}/${name} has no description`);
        }
        walk(property, `${where}/${name}`, variant);
      }
    };
    for (const name of EVENT_NAMES) {
      walk(strictEventSchemas[name] as Record<string, unknown>, name, 'strict');
      walk(eventSchemas[name] as Record<string, unknown>, name, 'consumer');
    }
    expect(problems).toEqual([]);
  });

  it('when a schema is read, then it is self-contained and carries no parser keys', () => {
    for (const name of [...EVENT_NAMES]) {
      const text = JSON.stringify([eventSchemas[name], strictEventSchemas[name]]);
      expect(text).not.toContain('$ref');
      expect(text).not.toContain('x-parser');
    }
  });
});
