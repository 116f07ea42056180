import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { listFiles } from '../../scripts/lib/generate/files.js';
import { BANNER, checkGenerated, GenerateError, generate, PROJECT_ROOT } from '../../scripts/lib/generate/generate.js';

// The whole generator (parser, example validation, Modelina, @asyncapi/generator with our template, Biome) on
// the small fixture document, into folders under the project's `.tmp/` so that the output resolves `amqplib`
// and `@types/node` like generated/ does.

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/generate/small.asyncapi.yaml');
const TMP_ROOT = path.join(PROJECT_ROOT, '.tmp');
const execFileAsync = promisify(execFile);

let workDir: string;
const warnings: string[] = [];

beforeAll(async () => {
  await mkdir(TMP_ROOT, { recursive: true });
  workDir = await mkdtemp(path.join(TMP_ROOT, 'test-generate-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
  await rmdir(TMP_ROOT).catch(() => undefined);
});

async function readTree(dir: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const file of await listFiles(dir)) tree[file] = await readFile(path.join(dir, file), 'utf8');
  return tree;
}

async function run(specPath: string, outDir: string) {
  return generate({ specPath, outDir, warn: (line) => warnings.push(line) });
}

/**
 * The fixture's output as generated once (the first describe proves that a second run gives the same bytes):
 * tests that only need that output as a starting point get a copy of it instead of running the generator again.
 */
let fixtureOutput: Promise<string> | undefined;
function generatedFixture(): Promise<string> {
  fixtureOutput ??= (async () => {
    const dir = path.join(workDir, 'fixture-out');
    await run(FIXTURE, dir);
    return dir;
  })();
  return fixtureOutput;
}

async function copyOfFixtureOutput(name: string): Promise<string> {
  const outDir = path.join(workDir, name);
  await cp(await generatedFixture(), outDir, { recursive: true });
  return outDir;
}

const tsOptions = (() => {
  const configFile = ts.readConfigFile(path.join(PROJECT_ROOT, 'tsconfig.json'), ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(configFile.config, ts.sys, PROJECT_ROOT).options, noEmit: true };
})();
// Declaration files of the libraries and of TypeScript itself do not change during the run: each is parsed once.
const libraryFiles = new Map<string, ts.SourceFile | undefined>();
const compilerHost = ts.createCompilerHost(tsOptions);
const readSourceFile = compilerHost.getSourceFile.bind(compilerHost);
compilerHost.getSourceFile = (fileName, languageVersion, ...rest) => {
  if (!fileName.includes('/node_modules/')) return readSourceFile(fileName, languageVersion, ...rest);
  if (!libraryFiles.has(fileName)) libraryFiles.set(fileName, readSourceFile(fileName, languageVersion, ...rest));
  return libraryFiles.get(fileName);
};

/** Type errors of `files` under the project's tsconfig options (strict, NodeNext, noUncheckedIndexedAccess…). */
function typeErrors(files: readonly string[]): string[] {
  const program = ts.createProgram(files, tsOptions, compilerHost);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${path.relative(workDir, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : '';
    return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

/** A copy of the fixture, changed by `edit` (on the parsed YAML, so comments and layout stay). */
async function editedFixture(name: string, edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<string> {
  const doc = parseDocument(await readFile(FIXTURE, 'utf8'));
  edit(doc);
  const target = path.join(workDir, name);
  await writeFile(target, doc.toString());
  return target;
}

describe('when the generator runs on the fixture document', () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = await generatedFixture();
  });

  it('then it writes the models, one publisher per send operation, the schemas and index.ts', async () => {
    expect(await listFiles(outDir)).toEqual([
      'index.ts',
      'models/index.ts',
      'publishers/common.ts',
      'publishers/publish-gadget-created.ts',
      'publishers/publish-gadget-retired.ts',
      'received.ts',
      'runtime/consumer-protocol.ts',
      'runtime/consumer-runtime.ts',
      'runtime/consumer-tracing.ts',
      'runtime/validator.ts',
      'schemas/consumer/gadget.created.json',
      'schemas/consumer/gadget.retired.json',
      'schemas/index.ts',
      'schemas/strict/gadget.created.json',
      'schemas/strict/gadget.retired.json',
      'sdk/README.md',
      'sdk/package.json',
      'sdk/src/consumer-protocol.ts',
      'sdk/src/consumer-runtime.ts',
      'sdk/src/consumer-tracing.ts',
      'sdk/src/consumer.ts',
      'sdk/src/dedupe.ts',
      'sdk/src/events.ts',
      'sdk/src/index.ts',
      'sdk/src/models.ts',
      'sdk/src/schemas.ts',
      'sdk/src/validate.ts',
      'sdk/tsconfig.json',
      'topology.ts',
    ]);
  });

  it('then every TypeScript file starts with the do-not-edit banner and the tree matches the snapshot', async () => {
    const tree = await readTree(outDir);
    for (const [file, content] of Object.entries(tree)) {
      if (file.endsWith('.ts')) expect(content.startsWith(`${BANNER}\n`), file).toBe(true);
    }
    expect(tree).toMatchSnapshot();
  });

  it('then running it again gives the same bytes', async () => {
    const again = path.join(workDir, 'fixture-out-again');
    await run(FIXTURE, again);
    expect(await readTree(again)).toEqual(await readTree(outDir));
  });

  it('then the output type-checks under the strict tsconfig and uses no any', async () => {
    const files = (await listFiles(outDir)).filter((file) => file.endsWith('.ts')).map((f) => path.join(outDir, f));
    expect(typeErrors(files)).toEqual([]);
    for (const content of Object.values(await readTree(outDir))) expect(content).not.toMatch(/[:<|,(]\s*any\b/);
  });

  it('then the generated module loads and exposes the names, exchange and typed catalog', async () => {
    const generated = (await import(path.join(outDir, 'index.ts'))) as Record<string, unknown>;
    expect(generated.EVENT_NAMES).toEqual(['gadget.created', 'gadget.retired']);
    expect(generated.EXCHANGE).toBe('fixture_events');
    expect(generated.EXCHANGE_TYPE).toBe('topic');
    expect(generated.APP_ID).toBe('fixture-service');
    expect(generated.MESSAGE_PROPERTIES).toMatchObject({
      'gadget.created': { deliveryMode: 2, appId: 'fixture-service' },
    });
    expect(Object.keys(generated.strictEventSchemas as object)).toEqual(['gadget.created', 'gadget.retired']);
    expect(Object.keys(generated.eventSchemas as object)).toEqual(['gadget.created', 'gadget.retired']);
    expect(generated.eventExamples).toMatchObject({ 'gadget.retired': [{ data: { reason: null } }] });
  });
});

describe('when the fixture changes', () => {
  const probe = (outDir: string) =>
    [
      "import type { ConfirmChannel } from 'amqplib';",
      `import { publishGadgetCreated } from './${path.basename(outDir)}/index.js';`,
      'declare const channel: ConfirmChannel;',
      'publishGadgetCreated(',
      '  channel,',
      '  {',
      "    event: 'gadget.created',",
      "    version: '1.0',",
      "    timestamp: '2025-11-24T10:00:00Z',",
      "    organization_id: 'org_001',",
      "    data: { gadget_id: 'gad_001', size: 'small', weight: 2.5 },",
      '  },',
      "  { messageId: 'evt_1', timestamp: new Date() },",
      ');',
      '',
    ].join('\n');

  it('when a required field is added to a payload, then the model and schema gain it and the publisher requires it', async () => {
    const outDir = await copyOfFixtureOutput('field-out');
    const probeFile = path.join(workDir, 'field-probe.ts');
    await writeFile(probeFile, probe(outDir));
    expect(typeErrors([probeFile])).toEqual([]);
    const before = await readTree(outDir);

    const changed = await editedFixture('with-field.yaml', (doc) => {
      doc.setIn(['components', 'schemas', 'GadgetCreatedData', 'properties', 'color'], {
        type: 'string',
        description: 'Colour of the gadget.',
      });
      doc.addIn(['components', 'schemas', 'GadgetCreatedData', 'required'], 'color');
      doc.setIn(['components', 'messages', 'GadgetCreated', 'examples', 0, 'payload', 'data', 'color'], 'red');
    });
    await run(changed, outDir);
    const after = await readTree(outDir);

    const changedFiles = Object.keys(after).filter((file) => after[file] !== before[file]);
    expect(changedFiles).toEqual([
      'models/index.ts',
      'schemas/consumer/gadget.created.json',
      'schemas/index.ts',
      'schemas/strict/gadget.created.json',
      'sdk/src/models.ts',
      'sdk/src/schemas.ts',
    ]);
    expect(after['models/index.ts']).toContain('  /**\n   * Colour of the gadget.\n   */\n  color: string;\n');
    expect(JSON.parse(after['schemas/consumer/gadget.created.json'] ?? '{}').properties.data.required).toContain(
      'color',
    );
    // The publisher's parameter is the model, so the same call no longer type-checks.
    expect(typeErrors([probeFile]).join('\n')).toMatch(/Property 'color' is missing/);
  });

  /** Adds gadget.repaired (channel, send operation, message with one example) whose payload is `payloadRef`. */
  function addRepairedEvent(doc: ReturnType<typeof parseDocument>, payloadRef: string): void {
    doc.setIn(['channels', 'gadgetRepaired'], {
      address: 'gadget.repaired',
      messages: { GadgetRepaired: { $ref: '#/components/messages/GadgetRepaired' } },
      bindings: { $ref: '#/components/channelBindings/fixtureExchange' },
    });
    doc.setIn(['operations', 'publishGadgetRepaired'], {
      action: 'send',
      summary: 'Publish gadget.repaired when a gadget is repaired.',
      channel: { $ref: '#/channels/gadgetRepaired' },
      messages: [{ $ref: '#/channels/gadgetRepaired/messages/GadgetRepaired' }],
      bindings: { $ref: '#/components/operationBindings/fixturePublish' },
    });
    doc.setIn(['components', 'messages', 'GadgetRepaired'], {
      name: 'GadgetRepaired',
      summary: 'A gadget was repaired.',
      'x-consumers': ['Support'],
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/FixtureHeaders' },
      payload: { $ref: payloadRef },
      examples: [
        {
          name: 'repaired',
          payload: {
            event: 'gadget.repaired',
            version: '1.0',
            timestamp: '2025-11-26T10:00:00Z',
            organization_id: 'org_001',
            data: { gadget_id: 'gad_001', reason: 'new battery' },
          },
        },
      ],
    });
  }

  it("when an event reuses another event's envelope, then generation refuses the mismatched event const", async () => {
    const changed = await editedFixture('reused-envelope.yaml', (doc) => {
      addRepairedEvent(doc, '#/components/schemas/GadgetRetiredEvent');
    });
    await expect(run(changed, path.join(workDir, 'reused-out'))).rejects.toThrow(
      /operation publishGadgetRepaired: payload property "event" must be const "gadget.repaired"/,
    );
  });

  it('when an event is added, then a new publisher appears and the index dispatches to it', async () => {
    const outDir = path.join(workDir, 'event-out');
    const changed = await editedFixture('with-event.yaml', (doc) => {
      const schemas = (doc.toJS() as { components: { schemas: Record<string, Record<string, unknown>> } }).components
        .schemas;
      doc.setIn(['components', 'schemas', 'GadgetRepairedEvent'], {
        ...schemas.GadgetRetiredEvent,
        title: 'GadgetRepairedEvent',
        properties: {
          ...(schemas.GadgetRetiredEvent?.properties as object),
          event: { type: 'string', const: 'gadget.repaired', description: 'The event name.' },
        },
      });
      addRepairedEvent(doc, '#/components/schemas/GadgetRepairedEvent');
    });
    await run(changed, outDir);
    const tree = await readTree(outDir);
    expect(tree['publishers/publish-gadget-repaired.ts']).toContain('export function publishGadgetRepaired(');
    expect(tree['publishers/publish-gadget-repaired.ts']).toContain(' * - Consumers: Support\n');
    expect(tree['index.ts']).toContain("    case 'gadget.repaired':\n      return publishGadgetRepaired(");
    expect(tree['index.ts']).toContain("  'gadget.repaired': GadgetRepairedEvent;\n");
    expect(tree['models/index.ts']).toContain("  event: 'gadget.repaired';\n");
  });
});

describe('when the document is wrong', () => {
  let outDir: string;
  let before: Record<string, string>;

  beforeAll(async () => {
    outDir = await copyOfFixtureOutput('kept-out');
    before = await readTree(outDir);
  });

  it('when a $ref is broken, then generation fails with file:line:col and leaves the output untouched', async () => {
    const broken = await editedFixture('broken-ref.yaml', (doc) => {
      doc.setIn(
        ['components', 'schemas', 'GadgetCreatedEvent', 'properties', 'data', '$ref'],
        '#/components/schemas/Nope',
      );
    });
    const error = await run(broken, outDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenerateError);
    const problems = (error as GenerateError).problems;
    expect(problems.join('\n')).toMatch(/broken-ref\.yaml:\d+:\d+ '#\/components\/schemas\/Nope' does not exist/);
    const [line] = /:(\d+):/.exec(problems[0] ?? '')?.slice(1) ?? [];
    const source = (await readFile(broken, 'utf8')).split('\n');
    expect(source[Number(line) - 1]).toContain('#/components/schemas/Nope');
    expect(await readTree(outDir)).toEqual(before);
  });

  it('when the document is not AsyncAPI 3.0, then generation fails before writing anything', async () => {
    const broken = await editedFixture('no-info.yaml', (doc) => {
      doc.deleteIn(['info', 'title']);
    });
    await expect(run(broken, outDir)).rejects.toThrow(/no-info\.yaml:\d+:\d+ .*title/);
    expect(await readTree(outDir)).toEqual(before);
  });

  it('when an example does not match its schema, then generation names the message, the example and the field', async () => {
    const broken = await editedFixture('bad-example.yaml', (doc) => {
      doc.setIn(['components', 'messages', 'GadgetCreated', 'examples', 0, 'payload', 'data', 'weight'], 'heavy');
      doc.setIn(['components', 'messages', 'GadgetRetired', 'examples', 0, 'payload', 'data', 'extra'], true);
    });
    const error = await run(broken, outDir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GenerateError);
    expect((error as GenerateError).problems).toEqual([
      'message GadgetCreated, example firstGadget, payload: /data/weight must be number',
      'message GadgetRetired, example retired, payload: /data must NOT have additional properties (extra)',
    ]);
    expect(await readTree(outDir)).toEqual(before);
  });

  it("when a payload uses the OpenAPI keyword nullable, then generation refuses it and points to type: [X, 'null']", async () => {
    const changed = await editedFixture('nullable.yaml', (doc) => {
      doc.setIn(['components', 'schemas', 'GadgetCreatedData', 'properties', 'gadget_id', 'nullable'], true);
    });
    await expect(run(changed, path.join(workDir, 'nullable-out'))).rejects.toThrow(
      /message GadgetCreated: `nullable` at data\.gadget_id is an OpenAPI keyword.*write `type: \[X, 'null'\]` instead/,
    );
  });

  it('when a payload has no title, then generation refuses it (Modelina would name it AnonymousSchema_N)', async () => {
    const broken = await editedFixture('no-title.yaml', (doc) => {
      doc.deleteIn(['components', 'schemas', 'GadgetRetiredEvent', 'title']);
    });
    await expect(run(broken, outDir)).rejects.toThrow(/payload schema of GadgetRetired needs a title/);
  });
});

describe('when generated code is checked for drift', () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = await copyOfFixtureOutput('check-out');
  });

  it('when nothing changed, then the check passes', async () => {
    const result = await checkGenerated({ specPath: FIXTURE, outDir });
    expect(result).toMatchObject({ upToDate: true, stale: [], missing: [], extra: [] });
  });

  it('when files are edited, removed or added, then the check lists them as stale, missing and extra', async () => {
    const publisher = path.join(outDir, 'publishers/publish-gadget-created.ts');
    await writeFile(publisher, `${await readFile(publisher, 'utf8')}// hand edit\n`);
    await rm(path.join(outDir, 'schemas/consumer/gadget.retired.json'));
    await writeFile(path.join(outDir, 'publishers/handwritten.ts'), 'export {};\n');
    const result = await checkGenerated({ specPath: FIXTURE, outDir });
    expect(result).toMatchObject({
      upToDate: false,
      stale: ['publishers/publish-gadget-created.ts'],
      missing: ['schemas/consumer/gadget.retired.json'],
      extra: ['publishers/handwritten.ts'],
    });
  });

  it('when the CLI runs with --check on the stale folder, then it exits 1 and names the files', async () => {
    const args = ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/generate.ts'), '--check', '--spec', FIXTURE];
    args.push('--out', outDir);
    const failure = await execFileAsync(process.execPath, args, { cwd: PROJECT_ROOT }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    const { stderr } = failure as { stderr: string };
    expect(stderr).toMatch(/stale: .*publishers\/publish-gadget-created\.ts/);
    expect(stderr).toMatch(/missing: .*schemas\/consumer\/gadget\.retired\.json/);
    expect(stderr).toMatch(/extra: .*publishers\/handwritten\.ts/);
  });
});
