import { TS_DESCRIPTION_PRESET, TypeScriptGenerator } from '@asyncapi/modelina';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { GenerateError } from './errors.js';
import type { ReceivedSpecEvent, SpecEvent } from './spec.js';

/**
 * The payload models, as one TypeScript module (`models/index.ts`), sorted by name.
 *
 * One file rather than Modelina's file per model: its ESM output imports siblings without `.js`, which
 * `moduleResolution: NodeNext` refuses. Open objects get no `additionalProperties` member (the interpreter's
 * `ignoreAdditionalProperties`): the models describe the declared fields. Interfaces keep the wire names (`rawPropertyNames`), `const` becomes a
 * literal type and enums become string unions.
 */
export async function renderModels(
  document: AsyncAPIDocumentInterface,
  events: readonly (SpecEvent | ReceivedSpecEvent)[],
  banner: string,
): Promise<string> {
  const generator = new TypeScriptGenerator({
    modelType: 'interface',
    enumType: 'union',
    rawPropertyNames: true,
    presets: [TS_DESCRIPTION_PRESET],
    // The document's objects are open (tolerant readers); without this Modelina adds
    // `additionalProperties?: Map<string, any>` to every model.
    processorOptions: { jsonSchema: { ignoreAdditionalProperties: true } },
  });
  const models = await generator.generate(document);
  const problems: string[] = [];
  for (const model of models) {
    if (/^AnonymousSchema/.test(model.modelName)) {
      problems.push(`model ${model.modelName}: give this schema a components.schemas entry with a title`);
    }
    const code = model.result.split('\n').filter((line) => !/^\s*(\/\*\*|\*)/.test(line));
    if (code.some((line) => /[:<|,(]\s*any\b/.test(line))) {
      problems.push(`model ${model.modelName}: the generated type contains "any" (an untyped or additional property)`);
    }
  }
  const names = new Set(models.map((model) => model.modelName));
  for (const event of events) {
    if (!names.has(event.modelName)) {
      problems.push(
        `message ${event.messageId}: no model named ${event.modelName} (the payload's title) was generated`,
      );
    }
  }
  if (names.size !== models.length) problems.push('two schemas produce models with the same name');
  if (problems.length > 0) throw new GenerateError('Generating the models', problems);

  const body = [...models]
    .sort((a, b) => (a.modelName < b.modelName ? -1 : a.modelName > b.modelName ? 1 : 0))
    .map((model) => model.result.replace(/^(interface|type|enum|class) /m, 'export $1 ').trimEnd())
    .join('\n\n');
  return `${banner}\n\n${body}\n`;
}
