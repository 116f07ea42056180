import { relative } from 'node:path';
import {
  type AsyncAPIDocumentInterface,
  type Diagnostic,
  DiagnosticSeverity,
  fromFile,
  Parser,
} from '@asyncapi/parser';

/** A spec that could not be parsed into a document, with its error diagnostics. */
export class SpecError extends Error {
  constructor(
    readonly specPath: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    super(
      `${specPath}: ${diagnostics.length} error(s)\n${diagnostics.map((d) => formatDiagnostic(specPath, d)).join('\n')}`,
    );
    this.name = 'SpecError';
  }
}

// Building a Parser loads the whole Spectral ruleset; one per process is enough.
let parser: Parser | undefined;

/**
 * Parses an AsyncAPI file (relative `$ref`s resolve against its folder).
 * Throws {@link SpecError} when the parser reports errors; warnings and infos (such as the
 * "use 3.1.0" recommendation on every 3.0.0 document) do not fail it.
 */
export async function loadSpec(specPath: string): Promise<AsyncAPIDocumentInterface> {
  return (await loadSpecWithWarnings(specPath)).document;
}

/** {@link loadSpec}, and the warnings as `file:line:col message` lines. */
export async function loadSpecWithWarnings(
  specPath: string,
): Promise<{ document: AsyncAPIDocumentInterface; warnings: string[] }> {
  parser ??= new Parser();
  const { document, diagnostics } = await fromFile(parser, specPath).parse();
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  if (!document || errors.length > 0) {
    throw new SpecError(specPath, errors.length > 0 ? errors : diagnostics);
  }
  const warnings = diagnostics
    .filter((d) => d.severity === DiagnosticSeverity.Warning)
    .map((d) => formatDiagnostic(specPath, d));
  return { document, warnings };
}

/**
 * `file:line:column message` (1-based, like compilers print them) so editors and terminals can jump to it.
 * The parser's ranges are 0-based.
 */
export function formatDiagnostic(specPath: string, d: Diagnostic, cwd = process.cwd()): string {
  const file = relative(cwd, specPath) || specPath;
  const line = d.range.start.line + 1;
  const column = d.range.start.character + 1;
  const where = d.path.length > 0 ? ` (at ${d.path.join('.')})` : '';
  return `${file}:${line}:${column} ${d.message}${where}`;
}

/** Parses AsyncAPI text (internal `$ref`s only); `label` names it in diagnostics. Used by tests and tools. */
export async function parseSpecText(text: string, label = '<input>'): Promise<AsyncAPIDocumentInterface> {
  parser ??= new Parser();
  const { document, diagnostics } = await parser.parse(text);
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  if (!document || errors.length > 0) throw new SpecError(label, errors.length > 0 ? errors : diagnostics);
  return document;
}
