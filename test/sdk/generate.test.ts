import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { render } from '@asyncapi/generator-react-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, PROJECT_ROOT } from '../../scripts/lib/generate/generate.js';
import { SDK_TEMPLATE_DIR, sdkTemplateParams } from '../../scripts/lib/generate/sdk.js';
import { parseSpec } from '../../scripts/lib/generate/spec.js';

// The SDK follows the document: its components rendered on their own (snapshots), and a field added to the
// document appears in the SDK's types after generating.

type Component = (props: Record<string, unknown>) => unknown;
interface SdkModel {
  version: string;
  dependencies: Record<string, string>;
  exchange: { name: string; type: string };
  events: Record<string, unknown>[];
}

async function component(file: string, name: string): Promise<Component> {
  const module = (await import(pathToFileURL(path.join(SDK_TEMPLATE_DIR, 'components', file)).href)) as Record<
    string,
    Component
  >;
  const found = module[name];
  if (!found) throw new Error(`${file} exports no ${name}`);
  return found;
}

describe('templates/sdk components', () => {
  let model: SdkModel;
  beforeAll(async () => {
    const spec = await parseSpec(path.join(PROJECT_ROOT, 'test/fixtures/generate/small.asyncapi.yaml'));
    model = JSON.parse((await sdkTemplateParams(spec)).model) as SdkModel;
  });

  it('when EventCatalogue is rendered for the small fixture, then it matches its snapshot', async () => {
    const EventCatalogue = await component('EventCatalogue.jsx', 'EventCatalogue');
    expect(render(EventCatalogue({ exchange: model.exchange, events: model.events }))).toMatchSnapshot();
  });

  it('when PackageJson is rendered, then it names the package at the contract version with its dependencies', async () => {
    const PackageJson = await component('PackageJson.jsx', 'PackageJson');
    const manifest = JSON.parse(render(PackageJson({ version: '9.9.9', dependencies: model.dependencies })));
    expect(manifest).toMatchObject({ name: '@customer-service/events', version: '9.9.9', type: 'module' });
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@opentelemetry/api', 'ajv', 'ajv-formats', 'amqplib']);
  });

  it('when Readme is rendered for the small fixture, then it matches its snapshot', async () => {
    const Readme = await component('Readme.jsx', 'Readme');
    expect(
      render(Readme({ version: model.version, exchange: model.exchange, events: model.events })),
    ).toMatchSnapshot();
  });

  it('when IndexExports is rendered, then it exports the API of the contract', async () => {
    const IndexExports = await component('IndexExports.jsx', 'IndexExports');
    const text = String(render(IndexExports({})));
    for (const name of [
      'createConsumer',
      'memoryDedupe',
      'validateEvent',
      'examples',
      'EVENT_NAMES',
      'EventEnvelopeMap',
    ]) {
      expect(text).toContain(name);
    }
  });
});

describe('the SDK follows asyncapi.yaml', () => {
  let temp: string;
  beforeAll(async () => {
    temp = await mkdtemp(path.join(os.tmpdir(), 'sdk-generate-'));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  it('when an optional field is added to an event, then the generated SDK types and schema have it', async () => {
    const original = await readFile(path.join(PROJECT_ROOT, 'asyncapi.yaml'), 'utf8');
    const anchor = '          description: Points credited by this transaction.\n';
    expect(original).toContain(anchor);
    const changed = original.replace(
      anchor,
      `${anchor}        bonus_reason:\n          type: string\n          description: Why extra points were given.\n`,
    );
    const specPath = path.join(temp, 'asyncapi.yaml');
    await writeFile(specPath, changed);
    await generate({ specPath, outDir: path.join(temp, 'out'), warn: () => {} });
    const models = await readFile(path.join(temp, 'out/sdk/src/models.ts'), 'utf8');
    const current = await readFile(path.join(PROJECT_ROOT, 'generated/sdk/src/models.ts'), 'utf8');
    const earned = /export interface LoyaltyPointsEarnedData \{[\s\S]*?\n\}/;
    expect(earned.exec(models)?.[0]).toContain('bonus_reason?: string;');
    expect(earned.exec(current)?.[0]).not.toContain('bonus_reason');
    const schemas = await readFile(path.join(temp, 'out/sdk/src/schemas.ts'), 'utf8');
    expect(schemas).toContain('bonus_reason');
  }, 120_000);
});
