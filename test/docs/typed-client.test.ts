import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * An integrating team's pipeline: generate a typed client with openapi-typescript from the /openapi.json the
 * service serves, type-check calls written against it (openapi-fetch), and run them against the service.
 */
/** What typed-client/client.ts's run() returns (that file is type-checked only next to its generated schema). */
interface Outcome {
  customerId: string;
  pointsBalance: number;
  creditAvailable: number;
  refused: { status: number; type: string };
  unauthorized: { status: number; type: string };
}

const ROOT = resolve(import.meta.dirname, '../..');
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = promisify(execFile);

let t: TestApp;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  t = await startTestApp({ backend: 'pglite', relay: false });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  // Inside the repository so that `openapi-fetch` resolves from its node_modules; .tmp/ is git-ignored.
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  dir = await mkdtemp(join(ROOT, '.tmp', 'typed-client-'));
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a client generated from /openapi.json', () => {
  it('when openapi-typescript generates it, then create, earn and credit-usage calls type-check and mistakes do not', async () => {
    const served = await fetch(`${baseUrl}/openapi.json`);
    expect(served.status).toBe(200);
    const schema = astToString(await openapiTS((await served.json()) as Parameters<typeof openapiTS>[0]));
    expect(schema).toContain('earnLoyaltyPoints: {');
    await writeFile(join(dir, 'schema.ts'), schema);
    await copyFile(join(ROOT, 'test/docs/typed-client/client.ts'), join(dir, 'client.ts'));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['client.ts', 'schema.ts'],
      }),
    );
    const result = await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
      () => ({ ok: true, output: '' }),
      (err: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 120_000);

  it('when the typed calls run against the service, then they succeed and the problem details come back typed', async () => {
    const client = (await import(join(dir, 'client.ts'))) as { run: (...args: string[]) => Promise<Outcome> };
    const outcome = await client.run(baseUrl, await t.token(), `typed-${t.org}@example.test`);
    expect(outcome.customerId).toMatch(/^cust_/);
    expect(outcome.pointsBalance).toBe(120);
    expect(outcome.creditAvailable).toBe(374.5);
    expect(outcome.refused).toMatchObject({ status: 422, type: expect.stringMatching(/credit-limit-exceeded$/) });
    expect(outcome.unauthorized).toMatchObject({ status: 401, type: expect.stringMatching(/unauthorized$/) });
  });
});
