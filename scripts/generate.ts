/**
 * Generates `generated/` from `asyncapi.yaml`: models, typed publishers, JSON Schemas, examples and the
 * `generated/index.ts` entry point.
 *
 *   npm run generate                          # regenerate generated/
 *   npm run generate:check                    # exit 1 when generated/ is stale
 *   tsx scripts/generate.ts --spec x.yaml --out dir
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkGenerated, GenerateError, generate } from './lib/generate/generate.js';

export {
  type CheckResult,
  checkGenerated,
  GenerateError,
  type GenerateOptions,
  type GenerateResult,
  generate,
} from './lib/generate/generate.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: 'boolean', default: false },
      spec: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const options = { specPath: values.spec, outDir: values.out };
  const outLabel = path.relative(process.cwd(), path.resolve(values.out ?? 'generated')) || '.';
  try {
    if (values.check) {
      const result = await checkGenerated(options);
      const seconds = (result.durationMs / 1000).toFixed(1);
      if (result.upToDate) {
        console.log(`${outLabel}/ is up to date (checked in ${seconds} s).`);
        return 0;
      }
      console.error(`${outLabel}/ is stale; run \`npm run generate\` (checked in ${seconds} s):`);
      for (const file of result.stale) console.error(`  stale:   ${outLabel}/${file}`);
      for (const file of result.missing) console.error(`  missing: ${outLabel}/${file}`);
      for (const file of result.extra) console.error(`  extra:   ${outLabel}/${file}`);
      return 1;
    }
    const result = await generate(options);
    console.log(
      `Generated ${result.files.length} files in ${outLabel}/ in ${(result.durationMs / 1000).toFixed(1)} s.`,
    );
    return 0;
  } catch (error) {
    if (error instanceof GenerateError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename;
if (invokedDirectly) {
  process.exitCode = await main();
}
