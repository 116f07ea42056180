/**
 * contract-check: the gate for the events this service publishes and consumes, and their releases.
 *
 *   npm run contract:check [-- --mode full|forward|backward]   # against every contract/released/<version>.yaml
 *   npm run contract:release                                   # archive, bump info.version, changelog
 *
 * The released versions are committed copies of asyncapi.yaml (one file per version), so the gate needs no git
 * history and releasing is an explicit, reviewed act. Each finding names the version, the event, the JSON path
 * and the rule. Exit status: 0 pass, 1 breaking changes (or a refused release), 2 usage error, unparsable
 * spec or no released version.
 */

import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MODES, type Mode } from './contract/change.js';
import { checkContract, DEFAULT_RELEASED_DIR, DEFAULT_SPEC, releaseContract } from './contract/check.js';
import { formatChange, formatReport, summarise } from './contract/report.js';
import { SpecError } from './lib/asyncapi/load.js';
import { generate } from './lib/generate/generate.js';

const HELP = `Usage: npm run contract:check -- [--mode full|forward|backward] [options]
       npm run contract:release

Compares asyncapi.yaml with every released version (contract/released/<version>.yaml).

Modes:
  forward   consumers built on a released version read the new events: fails when the new schema admits
            a value the old one did not (removed or optional field, new null, wider enum or type, looser bound)
  backward  consumers built on the new version read old events (backlogs, dead-letter queues, replays): fails
            when the new schema refuses a value the old one admitted (new required field, narrower enum or
            type, tighter bound)
  full      both (default)
Consumed events (receive operations) are judged from the producer's side, the same in every mode: a
change that refuses what producers may already send (a new required field, a narrower type or enum, a
tighter bound, a type removed from a union) fails; a loosening (a field made optional or nullable, a
wider type or enum, a looser bound) passes.
The wire fails in every mode: address (routing key), exchange, bindings, delivery mode, content type, a
removed AMQP property or header, servers. Passes: a new optional field, a new event, descriptions and
examples, and changes that mean the same (minimum: 1 → exclusiveMinimum: 0 on an integer, an operation or
channel id renamed with the same address, a $ref moved into components).

contract:release refuses a breaking change, bumps info.version (minor for additions, patch for documentation
only), writes contract/released/<version>.yaml and adds an entry to contract/CHANGELOG.md.

Options:
  --mode <mode>      full (default), forward or backward
  --spec <path>      spec to check (default: asyncapi.yaml)
  --released <dir>   folder of released versions (default: contract/released)
  --base <path>      compare with this one file only
  --json             machine-readable output: { ok, mode, against, summary, changes[] }
  --release          release --spec (same as npm run contract:release)
  -h, --help         this text

Exit status: 0 pass, 1 breaking changes / release refused, 2 usage error / invalid spec / nothing released.`;

/** Where the CLI writes: `console` when run as a script; tests pass their own to capture the output. */
export interface Output {
  log(text: string): void;
  error(text: string): void;
}

/** The CLI: `args` as after `contract-check.ts` on the command line; resolves to the exit status. */
export async function main(args: readonly string[] = process.argv.slice(2), io: Output = console): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (error) {
    io.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.log(HELP);
    return 0;
  }
  const mode = values.mode as Mode;
  if (!MODES.includes(mode)) {
    io.error(`unknown --mode ${values.mode}: use ${MODES.join(', ')}\n\n${HELP}`);
    return 2;
  }
  const specPath = values.spec ? resolve(values.spec) : DEFAULT_SPEC;
  const releasedDir = values.released ? resolve(values.released) : DEFAULT_RELEASED_DIR;
  const basePath = values.base ? resolve(values.base) : undefined;
  const show = (path: string) => relative(process.cwd(), path) || path;

  try {
    if (values.release) {
      const result = await releaseContract({ specPath, releasedDir });
      if (result.status === 'refused') {
        if (result.reason === 'unchanged') {
          io.error('contract:release: nothing changed since the last release; nothing to release.');
          return 1;
        }
        io.error(formatReport(result.changes, `contract:release: ${show(specPath)} breaks a released version`));
        io.error('\nRefusing to release. Publish the change as a new event (or a new major version).');
        return 1;
      }
      for (const change of result.changes) io.log(formatChange(change));
      const s = summarise(result.changes);
      io.log(
        `contract:release: ${result.previous ?? '(none)'} → ${result.version} (${result.previous ? result.bump : 'first release'}); wrote ${show(result.path)} and the changelog (${s.additive} additive, ${s.info} info)`,
      );
      if (specPath === DEFAULT_SPEC) {
        // info.version reaches generated/ (the consumer SDK's package version): regenerate so that it is not stale.
        const generated = await generate();
        io.log(`contract:release: regenerated ${generated.files.length} files in generated/ for ${result.version}`);
      }
      return 0;
    }

    const result = await checkContract({ specPath, releasedDir, basePath, mode });
    if (result.status === 'no-baseline') {
      const message = `no released contract at ${show(result.basePath)}: run "npm run contract:release" to create it`;
      if (values.json) io.log(JSON.stringify({ ok: false, error: message }, null, 2));
      else io.error(`contract-check: ${message}`);
      return 2;
    }
    if (values.json) {
      const output = {
        ok: result.status === 'ok',
        mode,
        spec: show(specPath),
        against: result.against,
        summary: summarise(result.changes),
        changes: result.changes,
      };
      io.log(JSON.stringify(output, null, 2));
    } else {
      io.log(
        formatReport(
          result.changes,
          `contract-check (${mode}): ${show(specPath)} against ${result.against.join(', ')}`,
        ),
      );
    }
    return result.status === 'breaking' ? 1 : 0;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    if (values.json) io.log(JSON.stringify({ ok: false, error: error.message }, null, 2));
    else io.error(error.message);
    return 2;
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      mode: { type: 'string', default: 'full' },
      spec: { type: 'string' },
      released: { type: 'string' },
      base: { type: 'string' },
      json: { type: 'boolean', default: false },
      release: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename;
if (invokedDirectly) {
  process.exitCode = await main();
}
