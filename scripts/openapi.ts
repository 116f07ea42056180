/**
 * npm run openapi [-- <file>] — writes the OpenAPI document the service serves at /openapi.json, without a
 * running service: the app is built and made `ready()` on a throw-away PGlite in a temporary folder, relay off,
 * nothing listening. Default output: build/openapi.json (what `npm run lint:openapi` hands to Redocly).
 *
 * Settings that shape the document (PUBLIC_URL, HOST, PORT) are read from the environment; nothing else is, so
 * a DATABASE_URL or JWT setting in the shell does not change or slow down the result.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const output = resolve(ROOT, process.argv[2] ?? 'build/openapi.json');

const dataDir = await mkdtemp(join(tmpdir(), 'customer-service-openapi-'));
try {
  const env: Record<string, string | undefined> = { PGLITE_DIR: dataDir, LOG_LEVEL: 'silent' };
  for (const key of ['PUBLIC_URL', 'HOST', 'PORT']) env[key] = process.env[key];
  // Nothing is verified here; a throw-away secret keeps the development-auth rule (loopback only) out of the way.
  env.JWT_SECRET = randomBytes(32).toString('hex');
  env.SIGNING_KEY = randomBytes(32).toString('hex');
  // Nothing is consumed either: the document does not depend on the broker.
  env.INBOUND = 'off';
  // PGlite's start-up alone can take longer than Fastify's 10 s plugin timeout on a busy machine.
  const app = await buildApp({ config: loadConfig(env), relay: false }, { pluginTimeout: 0 });
  try {
    await app.ready();
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, `${JSON.stringify(app.swagger(), null, 2)}\n`);
  } finally {
    await app.close();
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.log(`wrote ${output}`);
