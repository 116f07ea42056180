import { readFileSync } from 'node:fs';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { type Document, parseDocument } from 'yaml';
import { type Change, compareContracts } from '../../scripts/contract/diff.js';
import { formatChange } from '../../scripts/contract/report.js';
import { parseSpecText } from '../../scripts/lib/asyncapi/load.js';

export const BASE_FIXTURE = new URL('../fixtures/contract/base.yaml', import.meta.url);
const baseText = readFileSync(BASE_FIXTURE, 'utf8');
let baseDoc: Promise<AsyncAPIDocumentInterface> | undefined;

/** A fixture with one published and one consumed event (receive operation, order_events). */
export const CONSUMED_FIXTURE = new URL('../fixtures/contract/consumed.yaml', import.meta.url);
const parsedFixtures = new Map<string, Promise<AsyncAPIDocumentInterface>>();

/** Compares `fixture` with a variant made by `edit`, both through @asyncapi/parser (the fixture parsed once). */
export async function changesAfterIn(fixture: URL, edit: (doc: Document) => void): Promise<Change[]> {
  const text = readFileSync(fixture, 'utf8');
  const doc = parseDocument(text);
  edit(doc);
  let base = parsedFixtures.get(fixture.href);
  if (!base) {
    base = parseSpecText(text, 'base.yaml');
    parsedFixtures.set(fixture.href, base);
  }
  const [b, head] = await Promise.all([base, parseSpecText(doc.toString(), 'variant.yaml')]);
  return compareContracts(b, head);
}

/** Like {@link changesAfterIn}, with the base edited too. */
export async function changesBetweenIn(
  fixture: URL,
  editBase: (doc: Document) => void,
  editHead: (doc: Document) => void,
): Promise<Change[]> {
  const text = readFileSync(fixture, 'utf8');
  const [base, head] = [parseDocument(text), parseDocument(text)];
  editBase(base);
  editHead(head);
  const [b, h] = await Promise.all([
    parseSpecText(base.toString(), 'base.yaml'),
    parseSpecText(head.toString(), 'head.yaml'),
  ]);
  return compareContracts(b, h);
}

/** Paths into the fixture used by most tests. */
export const EARNED_DATA = ['components', 'schemas', 'LoyaltyPointsEarnedData'];
export const EARNED_FIELDS = [...EARNED_DATA, 'properties'];
export const EARNED_EVENT_FIELDS = ['components', 'schemas', 'LoyaltyPointsEarnedEvent', 'properties'];
export const CREATED_FIELDS = ['components', 'schemas', 'CustomerCreatedData', 'properties'];
export const EXCHANGE = ['components', 'channelBindings', 'customerEvents', 'amqp', 'exchange'];

/** The fixture as an editable YAML document (comments and layout kept). */
export function baseYaml(): Document {
  return parseDocument(baseText);
}

/** Compares the base fixture with a variant made by `edit`, both through @asyncapi/parser. */
export async function changesAfter(edit: (doc: Document) => void): Promise<Change[]> {
  const doc = baseYaml();
  edit(doc);
  baseDoc ??= parseSpecText(baseText, 'base.yaml');
  const [base, head] = await Promise.all([baseDoc, parseSpecText(doc.toString(), 'variant.yaml')]);
  return compareContracts(base, head);
}

/** Like {@link changesAfter}, with the base edited too. */
export async function changesBetween(
  editBase: (doc: Document) => void,
  editHead: (doc: Document) => void,
): Promise<Change[]> {
  const base = baseYaml();
  const head = baseYaml();
  editBase(base);
  editHead(head);
  const [b, h] = await Promise.all([
    parseSpecText(base.toString(), 'base.yaml'),
    parseSpecText(head.toString(), 'head.yaml'),
  ]);
  return compareContracts(b, h);
}

/**
 * Short report lines, e.g. `BREAKING loyalty.points.earned data.tier: type changed string → integer`: the CLI's
 * line (formatChange) without the rule and version suffix, and with event-level changes named by the event alone.
 */
export function lines(changes: readonly Change[]): string[] {
  return changes.map((change) => {
    const short = { ...change, against: undefined, direction: undefined };
    if ((change.part === 'channel' || change.part === 'operation') && !change.path.includes('bindings.')) {
      short.path = '';
    }
    return formatChange(short).replace(/ \([a-z-]+\)$/, '');
  });
}

export function breaking(changes: readonly Change[]): Change[] {
  return changes.filter((c) => c.severity === 'breaking');
}
