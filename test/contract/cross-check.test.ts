import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breaksIn, judge, MODES, receivedSeverity } from '../../scripts/contract/change.js';
import { diffSchemas } from '../../scripts/contract/schema-diff.js';
import type { Json, JsonObject } from '../../scripts/lib/asyncapi/json.js';
import { createAjv } from '../../scripts/lib/generate/examples.js';

// Property-based cross-check of the gate's schema verdicts: instances generated from one schema (fast-check) are
// validated against the other (ajv). When the gate calls a change safe in a direction, every instance must pass
// in that direction; when it calls it breaking, fast-check must find an instance that fails (no false alarm).

type Schema = { [key: string]: unknown };

function lowerBound(s: Schema, integer: boolean): number {
  const candidates = [-1000];
  if (typeof s.minimum === 'number') candidates.push(integer ? Math.ceil(s.minimum) : s.minimum);
  if (typeof s.exclusiveMinimum === 'number') {
    candidates.push(integer ? Math.floor(s.exclusiveMinimum) + 1 : s.exclusiveMinimum + 0.01);
  }
  return Math.max(...candidates);
}

function upperBound(s: Schema, integer: boolean): number {
  const candidates = [1000];
  if (typeof s.maximum === 'number') candidates.push(integer ? Math.floor(s.maximum) : s.maximum);
  if (typeof s.exclusiveMaximum === 'number') {
    candidates.push(integer ? Math.ceil(s.exclusiveMaximum) - 1 : s.exclusiveMaximum - 0.01);
  }
  return Math.min(...candidates);
}

/** An arbitrary of the values a (simple, draft-07) schema admits, with extra properties where objects are open. */
function arbitrary(s: Schema): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const types = Array.isArray(s.type) ? (s.type as string[]) : [String(s.type)];
  return fc.oneof(...types.map((type) => arbitraryOf(type, s)));
}

function arbitraryOf(type: string, s: Schema): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: lowerBound(s, true), max: upperBound(s, true) });
    case 'number':
      return fc.double({ min: lowerBound(s, false), max: upperBound(s, false), noNaN: true });
    case 'string': {
      const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
      const maxLength = typeof s.maxLength === 'number' ? s.maxLength : 80;
      return fc.string({ minLength, maxLength });
    }
    case 'array':
      return fc.array(arbitrary((s.items ?? {}) as Schema), { maxLength: 4 });
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      const required = (s.required ?? []) as string[];
      const known = fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, arbitrary(sub)])),
        { requiredKeys: required.filter((name) => name in properties) },
      );
      if (s.additionalProperties === false) return known;
      const extra = fc.dictionary(fc.constantFrom('zz_added_later', 'yy_other'), fc.integer(), { maxKeys: 2 });
      return fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...k }));
    }
    default:
      throw new Error(`no arbitrary for type ${type}`);
  }
}

const ajv = createAjv();

/** Whether every value generated from `from` validates against `against` (up to 300 runs). */
function admitsAll(from: Schema, against: Schema): boolean {
  const validate = ajv.compile(against);
  return !fc.check(
    fc.property(arbitrary(from), (value) => validate(value)),
    { numRuns: 300, seed: 42 },
  ).failed;
}

const DATA: Schema = {
  type: 'object',
  required: ['customer_id', 'points', 'tier'],
  properties: {
    customer_id: { type: 'string', maxLength: 64 },
    points: { type: 'integer', minimum: 1 },
    tier: { type: 'string', enum: ['bronze', 'silver', 'gold'] },
    note: { type: ['string', 'null'] },
  },
};

function variant(edit: (s: { properties: Record<string, Schema>; required: string[] }) => void): Schema {
  const copy = structuredClone(DATA) as { properties: Record<string, Schema>; required: string[] };
  edit(copy);
  return copy;
}

const PAIRS: [string, Schema][] = [
  [
    'minimum: 1 → exclusiveMinimum: 0 on an integer',
    variant((s) => {
      s.properties.points = { type: 'integer', exclusiveMinimum: 0 };
    }),
  ],
  [
    'a new optional field',
    variant((s) => {
      s.properties.channel = { type: 'string' };
    }),
  ],
  [
    'a description added',
    variant((s) => {
      s.properties.tier = { ...s.properties.tier, description: 'The tier.' };
    }),
  ],
  [
    'maxLength tightened',
    variant((s) => {
      s.properties.customer_id = { type: 'string', maxLength: 8 };
    }),
  ],
  [
    'minimum raised',
    variant((s) => {
      s.properties.points = { type: 'integer', minimum: 500 };
    }),
  ],
  [
    'enum widened',
    variant((s) => {
      s.properties.tier = { type: 'string', enum: ['bronze', 'silver', 'gold', 'platinum'] };
    }),
  ],
  [
    'enum narrowed',
    variant((s) => {
      s.properties.tier = { type: 'string', enum: ['bronze', 'silver'] };
    }),
  ],
  [
    'a field made optional',
    variant((s) => {
      s.required = ['customer_id', 'tier'];
    }),
  ],
  [
    'a field made nullable',
    variant((s) => {
      s.properties.customer_id = { type: ['string', 'null'], maxLength: 64 };
    }),
  ],
  [
    'a new required field',
    variant((s) => {
      s.properties.channel = { type: 'string' };
      s.required = [...s.required, 'channel'];
    }),
  ],
  [
    'a type changed',
    variant((s) => {
      s.properties.points = { type: 'string' };
    }),
  ],
];

describe('the gate cross-checked with generated instances', () => {
  it.each(PAIRS)('when %s, then the verdict in each direction matches what the instances show', (_, head) => {
    const changes = judge(
      diffSchemas(DATA as Json, head as Json).map((c) => ({ ...c, event: 'e', part: 'payload' as const })),
      'full',
    );
    const breaks = (mode: 'forward' | 'backward') =>
      changes.some((c) => c.direction !== undefined && breaksIn(c.direction, mode));
    // forward: an old consumer (base schema) reads new events (head instances).
    expect(admitsAll(head, DATA as JsonObject), 'forward').toBe(!breaks('forward'));
    // backward: a new consumer (head schema) reads old events (base instances).
    expect(admitsAll(DATA, head as JsonObject), 'backward').toBe(!breaks('backward'));
  });

  it('when minimum: 1 becomes exclusiveMinimum: 0 on an integer, then the gate reports nothing', () => {
    const [, head] = PAIRS[0] ?? [];
    expect(diffSchemas(DATA as Json, head as Json)).toEqual([]);
  });
});

// Loosenings that only a consumed event's verdict gets right (for a published event the gate keeps calling them
// breaking in both directions).
const WIDENINGS: [string, Schema][] = [
  [
    'a type widened from integer to number',
    variant((s) => {
      s.properties.points = { type: 'number', minimum: 1 };
    }),
  ],
  [
    'a type removed from a union',
    variant((s) => {
      s.properties.note = { type: 'null' };
    }),
  ],
  [
    'an enum removed',
    variant((s) => {
      s.properties.tier = { type: 'string' };
    }),
  ],
];

describe('the gate on consumed events cross-checked with generated instances', () => {
  it.each([...PAIRS, ...WIDENINGS])(
    'when %s, then it breaks exactly when some message the old schema admitted is refused by the new one',
    (_, head) => {
      const changes = judge(
        diffSchemas(DATA as Json, head as Json).map((c) => ({
          ...c,
          severity: receivedSeverity(c),
          event: 'e',
          part: 'payload' as const,
          side: 'received' as const,
        })),
        'full',
      );
      // Producers keep sending what the old schema admitted (base instances) to the new reader (head schema).
      const refusesOld = !admitsAll(DATA, head as JsonObject);
      for (const mode of MODES) {
        const breaks = changes.some((c) => c.direction !== undefined && breaksIn(c.direction, mode));
        expect(breaks, mode).toBe(refusesOld);
      }
    },
  );
});
