import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryQueueName } from '../../generated/sdk/src/index.js';
import { PROJECT_ROOT } from '../../scripts/lib/generate/generate.js';
import { packSdk } from '../../scripts/sdk-pack.js';
import { createCustomer, useTestApp } from '../helpers/fixtures.js';
import { TestBroker, uniqueQueue, until } from './broker.js';

// The packed tarball installed into a consumer project outside the repository (a temp folder), as a consumer team
// would: the README's consumer type-checks under strict, a handler reading an undeclared field does not, and a
// consumer started from the package receives the events of the real service.

const t = useTestApp();
let work: string;
let project: string;
let tarball: string;
const tsc = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');
// The machine's Node 20 when there is one (the package declares node >= 20), else the Node running the tests.
const node20 = ['/usr/bin/node', '/bin/node'].find((candidate) => existsSync(candidate)) ?? process.execPath;

function typecheck(config: string): { ok: boolean; output: string } {
  try {
    execFileSync(process.execPath, [tsc, '-p', config], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

async function writeTsconfig(name: string, file: string): Promise<void> {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [path.join(PROJECT_ROOT, 'node_modules/@types')],
    },
    files: [file],
  };
  await writeFile(path.join(project, name), JSON.stringify(config, null, 2));
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'sdk-consumer-'));
  tarball = await packSdk(path.join(PROJECT_ROOT, 'generated/sdk'), path.join(work, 'build'));
  project = path.join(work, 'consumer');
  execFileSync('mkdir', ['-p', project]);
  await writeFile(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'scratch-consumer', private: true, type: 'module' }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    cwd: project,
    stdio: 'pipe',
  });
}, 180_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('the packed @customer-service/events', () => {
  it('when installed from the tarball, then it has only amqplib, ajv, ajv-formats and @opentelemetry/api as dependencies', async () => {
    const manifest = JSON.parse(
      await readFile(path.join(project, 'node_modules/@customer-service/events/package.json'), 'utf8'),
    );
    const contract = await readFile(path.join(PROJECT_ROOT, 'asyncapi.yaml'), 'utf8');
    expect(manifest.name).toBe('@customer-service/events');
    expect(contract).toMatch(new RegExp(`\\n  version: '?${manifest.version.replace(/\./g, '\\.')}'?\\n`));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@opentelemetry/api', 'ajv', 'ajv-formats', 'amqplib']);
    expect(path.basename(tarball)).toBe(`customer-service-events-${manifest.version}.tgz`);
  });

  it("when the README's consumer is compiled under strict, then it type-checks", async () => {
    const readme = await readFile(path.join(project, 'node_modules/@customer-service/events/README.md'), 'utf8');
    const code = /## A complete consumer[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toContain('createConsumer');
    await writeFile(path.join(project, 'consumer.ts'), code ?? '');
    await writeTsconfig('tsconfig.json', 'consumer.ts');
    const result = typecheck('tsconfig.json');
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  }, 60_000);

  it('when a handler reads a field the contract does not have, then it does not type-check', async () => {
    await writeFile(
      path.join(project, 'bad.ts'),
      [
        "import { createConsumer } from '@customer-service/events';",
        'await createConsumer({',
        "  url: 'amqp://127.0.0.1',",
        "  queue: 'q',",
        '  handlers: {',
        "    'loyalty.points.earned': async (event) => {",
        '      console.log(event.data.discount_code);',
        '    },',
        '  },',
        '});',
        '',
      ].join('\n'),
    );
    await writeTsconfig('tsconfig.bad.json', 'bad.ts');
    const result = typecheck('tsconfig.bad.json');
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/TS2339: Property 'discount_code' does not exist/);
  }, 60_000);

  it('when the service creates a customer, then a consumer run from the package (Node ≥ 20) receives it', async () => {
    const queue = uniqueQueue('package');
    await writeFile(
      path.join(project, 'receive.mjs'),
      [
        "import { createConsumer } from '@customer-service/events';",
        'const consumer = await createConsumer({',
        '  url: process.env.AMQP_URL,',
        '  queue: process.env.QUEUE,',
        '  handlers: {',
        "    'customer.created': async (event, meta) => {",
        '      if (event.organization_id !== process.env.ORG) return;',
        '      console.log(JSON.stringify({ customer_id: event.data.customer_id, messageId: meta.messageId }));',
        '      await consumer.close();',
        '    },',
        '  },',
        '});',
        "console.log('ready');",
        '',
      ].join('\n'),
    );
    const lines: string[] = [];
    let child: ChildProcess | undefined;
    const broker = await TestBroker.open();
    try {
      child = spawn(node20, ['receive.mjs'], {
        cwd: project,
        env: { ...process.env, AMQP_URL: t.config.AMQP_URL, QUEUE: queue, ORG: t.org },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
      await until(() => lines.includes('ready'), 15_000, 'the consumer to start');
      const customerId = await createCustomer(t);
      await until(() => lines.length > 1, 15_000, 'the event');
      const received = JSON.parse(lines[1] ?? '{}');
      expect(received.customer_id).toBe(customerId);
      expect(received.messageId).toEqual(expect.any(String));
    } finally {
      child?.kill();
      for (const name of [queue, `${queue}.dlq`, ...[1000, 10_000, 60_000].map((d) => retryQueueName(queue, d))]) {
        await broker.channel.deleteQueue(name);
      }
      await broker.close();
    }
  }, 60_000);
});
