import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../asyncapi/root.js';
import { BANNER } from './banner.js';
import { writeFiles } from './files.js';
import { loadGenerator } from './publishers.js';
import { eventSchemaDocument } from './schemas.js';
import type { ParsedSpec, SpecEvent } from './spec.js';

/** The consumer SDK's template (React renderer). */
export const SDK_TEMPLATE_DIR = path.join(PROJECT_ROOT, 'templates/sdk');

/** Files of the shared runtime (templates/runtime/) that the SDK ships as well. */
const SDK_SHARED_RUNTIME = ['consumer-protocol.ts', 'consumer-runtime.ts', 'consumer-tracing.ts'] as const;
const SHARED_RUNTIME_DIR = path.join(PROJECT_ROOT, 'templates/runtime');

/** The SDK's runtime dependencies: the only packages its code imports. */
export const SDK_DEPENDENCIES = ['@opentelemetry/api', 'ajv', 'ajv-formats', 'amqplib'] as const;

function dataFields(event: SpecEvent): string[] {
  const data = (event.payloadSchema.properties as Record<string, { properties?: object }> | undefined)?.data;
  return data?.properties ? Object.keys(data.properties) : [];
}

/** The sdk template's parameters: the package version, dependency ranges, exchange and events, as JSON. */
export async function sdkTemplateParams(spec: ParsedSpec): Promise<{ model: string; banner: string }> {
  const manifest = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const dependencies = Object.fromEntries(
    SDK_DEPENDENCIES.map((name) => {
      const range = manifest.dependencies[name];
      if (!range) throw new Error(`the SDK needs ${name} in the dependencies of package.json`);
      return [name, range];
    }),
  );
  const [first] = spec.events;
  const exchange = first?.published.exchange;
  if (!exchange) throw new Error('the sdk template needs at least one event with an exchange');
  const model = {
    version: spec.model.version,
    dependencies,
    exchange: { name: exchange.name, type: exchange.type },
    events: spec.events.map((event) => ({
      eventName: event.eventName,
      modelName: event.modelName,
      summary: event.published.messageSummary || event.published.summary,
      consumers: event.published.consumers,
      dataFields: dataFields(event),
    })),
  };
  return { model: JSON.stringify(model), banner: BANNER };
}

/** `src/schemas.ts`: the consumer schema and the examples of each event, typed by event name. */
export function renderSdkSchemas(events: readonly SpecEvent[], banner: string): string {
  const entry = (name: string, value: unknown) => `  ${JSON.stringify(name)}: ${JSON.stringify(value, null, 2)},`;
  return [
    banner,
    '',
    "import type { EventEnvelopeMap, EventName } from './events.js';",
    '',
    '/**',
    ' * The consumer JSON Schema (draft-07, self-contained) of each event envelope: objects are open, so unknown',
    ' * extra fields are accepted (tolerant reader). The same documents are served at `/schemas/<event name>.json`.',
    ' */',
    'export const eventSchemas: Readonly<Record<EventName, object>> = {',
    ...events.map((event) => entry(event.eventName, eventSchemaDocument(event, 'consumer'))),
    '};',
    '',
    "/** The contract's example envelopes of each event, for your own unit tests. */",
    'export const examples: { readonly [N in EventName]: readonly EventEnvelopeMap[N][] } = {',
    ...events.map((event) =>
      entry(
        event.eventName,
        event.examples.map((example) => example.payload),
      ),
    ),
    '};',
    '',
  ].join('\n');
}

/**
 * Writes the consumer SDK into `outDir`: the template's files (package.json, README, tsconfig, src/index.ts,
 * src/events.ts), the Modelina models (the same text as `models/index.ts`), the schemas and examples, and the
 * event-independent runtime of `templates/sdk/runtime/` and the shared consumer runtime, with the banner.
 */
export async function renderSdk(spec: ParsedSpec, models: string, banner: string, outDir: string): Promise<void> {
  const Generator = loadGenerator();
  const generator = new Generator(SDK_TEMPLATE_DIR, outDir, {
    forceWrite: true,
    templateParams: await sdkTemplateParams(spec),
  });
  await generator.generate(spec.document);
  const files = new Map<string, string>([
    ['src/models.ts', models],
    ['src/schemas.ts', renderSdkSchemas(spec.events, banner)],
  ]);
  const runtimeDir = path.join(SDK_TEMPLATE_DIR, 'runtime');
  for (const name of (await readdir(runtimeDir)).filter((file) => file.endsWith('.ts')).sort()) {
    files.set(`src/${name}`, `${banner}\n\n${await readFile(path.join(runtimeDir, name), 'utf8')}`);
  }
  // The consumer runtime the service's inbound consumer runs on too (templates/runtime/, also in generated/runtime/).
  for (const name of SDK_SHARED_RUNTIME) {
    files.set(`src/${name}`, `${banner}\n\n${await readFile(path.join(SHARED_RUNTIME_DIR, name), 'utf8')}`);
  }
  await writeFiles(outDir, files);
}
