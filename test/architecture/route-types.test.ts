import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Route handlers take their types from the route schemas (src/http/type-provider.ts): a schema and its handler
 * cannot drift apart without the type check noticing. These tests change one side in memory (the files on disk stay
 * as they are) and type-check src/ with the project's own compiler options.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const ROUTES = resolve(ROOT, 'src/loyalty/loyalty.routes.ts');
const SCHEMAS = resolve(ROOT, 'src/loyalty/loyalty.schemas.ts');

const config = ts.getParsedCommandLineOfConfigFile(
  resolve(ROOT, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
if (!config) throw new Error('tsconfig.json could not be read');
const options = { ...config.options, noEmit: true };
/** Every file of src/: the Fastify type augmentations (`app.db`, `request.principal`) live in the plugins. */
const SOURCES = config.fileNames.filter((file) => file.startsWith(`${resolve(ROOT, 'src')}/`));

let previous: ts.Program | undefined;

/** Type errors in src/ when the files in `edits` read as given, each as `file:line TScode message`. */
function typeErrors(edits: Record<string, string> = {}): string[] {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (path) => edits[resolve(path)] ?? readFile(path);
  host.getSourceFile = (path, language, onError, fresh) => {
    const edited = edits[resolve(path)];
    return edited === undefined
      ? getSourceFile(path, language, onError, fresh)
      : ts.createSourceFile(path, edited, language, true);
  };
  const program = ts.createProgram({ rootNames: SOURCES, options, host, oldProgram: previous });
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.startsWith(resolve(ROOT, 'src')))
    .map((d) => {
      const file = d.file as ts.SourceFile;
      const { line } = file.getLineAndCharacterOfPosition(d.start ?? 0);
      const where = `${file.fileName.slice(ROOT.length + 1)}:${line + 1}`;
      return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
}

/** `text` with `from` replaced by `to`; fails when `from` is not in it (the edit would test nothing). */
function edit(path: string, from: string, to: string): Record<string, string> {
  const text = readFileSync(path, 'utf8');
  expect(text.includes(from), `${from} is in ${path}`).toBe(true);
  return { [path]: text.replace(from, to) };
}

describe('route types come from the route schemas', () => {
  it('when nothing is changed, then the loyalty routes type-check (the control)', () => {
    expect(typeErrors()).toEqual([]);
  }, 120_000);

  it('when a response schema gains a required field the handler does not return, then the type check fails', () => {
    const errors = typeErrors(
      edit(
        SCHEMAS,
        "    customer_id: { type: 'string' },\n",
        "    customer_id: { type: 'string' },\n    member_since: { type: 'string' },\n",
      ),
    );
    // The edit above only adds the property; making it required is what the handler cannot satisfy.
    expect(errors).toEqual([]);
    const required = typeErrors({
      [SCHEMAS]: readFileSync(SCHEMAS, 'utf8')
        .replace(
          "    customer_id: { type: 'string' },\n",
          "    customer_id: { type: 'string' },\n    member_since: { type: 'string' },\n",
        )
        .replace("  required: [\n    'customer_id',", "  required: [\n    'member_since',\n    'customer_id',"),
    });
    expect(required.length).toBeGreaterThan(0);
    expect(required.join('\n')).toMatch(/member_since/);
    expect(required.join('\n')).toMatch(/TS2(322|741|345)/);
  }, 120_000);

  it('when a handler answers a field with another type than its response schema, then the type check fails', () => {
    const errors = typeErrors(
      edit(
        ROUTES,
        '(request) => getLoyaltyAccount(app.db, request.principal.org, request.params.customer_id),',
        '(request) =>\n      getLoyaltyAccount(app.db, request.principal.org, request.params.customer_id).then((a) => ({\n        ...a,\n        points_balance: String(a.points_balance),\n      })),',
      ),
    );
    expect(errors.join('\n')).toMatch(/loyalty\.routes\.ts:\d+ TS2\d{3} .*points_balance/);
  }, 120_000);

  it('when a params schema renames a field the handler reads, then the type check fails', () => {
    const errors = typeErrors(
      edit(
        ROUTES,
        'params: customerIdParams,',
        "params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const,",
      ),
    );
    // `request.params.customer_id` is no longer declared: it reads as `unknown`, which the service refuses.
    expect(errors.join('\n')).toMatch(/loyalty\.routes\.ts:\d+ TS2345 .*'unknown'/);
  }, 120_000);
});
