/**
 * contract-check: the breaking-change gate for the events this service publishes.
 *
 * Baseline: `contract/released/asyncapi.yaml`, a committed byte-for-byte copy of `asyncapi.yaml` written by
 * `npm run contract:release` (with `contract/released/RELEASE.md`: date, version, sha256, events, changes).
 * Why a committed file rather than "asyncapi.yaml at the last tag / on main": it needs no git history (shallow CI
 * clones, a repository with no commits yet), releasing is an explicit act that shows up in review, and the
 * baseline is what was promised to consumers rather than whatever was merged last.
 *
 * Both files are parsed with @asyncapi/parser; each event's payload and headers are compared as resolved JSON
 * Schema (see scripts/contract/schema-diff.ts for the rules). Exit status: 0 no breaking change, 1 breaking
 * changes (or a release refused because of them), 2 usage error, unparsable spec or missing baseline.
 */

import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkContract, DEFAULT_BASELINE, DEFAULT_SPEC, releaseContract } from './contract/check.js';
import { formatChange, formatReport, summarise } from './contract/report.js';
import { SpecError } from './lib/asyncapi/load.js';

const HELP = `Usage: npm run contract:check -- [options]
       npm run contract:release [-- --allow-breaking]

Compares asyncapi.yaml with the released contract and fails on changes that break consumers.

Baseline: contract/released/asyncapi.yaml — a committed copy of asyncapi.yaml written by
"npm run contract:release" (contract/released/RELEASE.md records when and what). Releasing is
an explicit, reviewed act; the check needs no git history.

Breaking (exit 1): removed event/channel/message/operation/field; changed type or format; field made
optional or nullable; enum widened; const changed or removed; looser bound/pattern; routing key or
exchange (name, type, durable, …) changed; any change to a schema keyword the check does not analyse.
Additive (listed, exit 0): new event, new field (required or optional), new example.
Info (listed, exit 0): narrowed enum/type/bounds, additionalProperties opened or closed (consumers are
expected to ignore unknown fields), description and title edits.

Options:
  --spec <path>      spec to check (default: asyncapi.yaml)
  --base <path>      baseline (default: contract/released/asyncapi.yaml)
  --json             machine-readable output: { ok, summary, changes[] }
  --release          write --spec as the new baseline; refused when it breaks the current one
  --allow-breaking   with --release: accept breaking changes deliberately (recorded in RELEASE.md)
  -h, --help         this text

Exit status: 0 no breaking change, 1 breaking changes, 2 usage error / invalid spec / no baseline.`;

async function main(): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse());
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const specPath = values.spec ? resolve(values.spec) : DEFAULT_SPEC;
  const basePath = values.base ? resolve(values.base) : DEFAULT_BASELINE;
  const show = (path: string) => relative(process.cwd(), path) || path;

  try {
    if (values.release) {
      const result = await releaseContract({ specPath, basePath, allowBreaking: values['allow-breaking'] });
      if (result.status === 'refused') {
        console.error(formatReport(result.changes, `contract:release: ${show(specPath)} breaks ${show(basePath)}`));
        console.error(
          '\nRefusing to release. Publish the change as a new event or version, or re-run with --allow-breaking.',
        );
        return 1;
      }
      const changes = result.changes;
      for (const change of changes ?? []) console.log(formatChange(change));
      const s = changes && summarise(changes);
      console.log(
        `contract:release: wrote ${show(result.basePath)}${s ? ` (${s.breaking} breaking, ${s.additive} additive, ${s.info} info against the previous baseline)` : ' (first release)'}`,
      );
      return 0;
    }

    const result = await checkContract({ specPath, basePath });
    if (result.status === 'no-baseline') {
      const message = `no released contract at ${show(basePath)}: run "npm run contract:release" to create it`;
      if (values.json) console.log(JSON.stringify({ ok: false, error: message }, null, 2));
      else console.error(`contract-check: ${message}`);
      return 2;
    }
    if (values.json) {
      const output = {
        ok: result.status === 'ok',
        spec: show(specPath),
        base: show(basePath),
        summary: summarise(result.changes),
        changes: result.changes,
      };
      console.log(JSON.stringify(output, null, 2));
    } else {
      console.log(formatReport(result.changes, `contract-check: ${show(specPath)} against ${show(basePath)}`));
    }
    return result.status === 'breaking' ? 1 : 0;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    if (values.json) console.log(JSON.stringify({ ok: false, error: error.message }, null, 2));
    else console.error(error.message);
    return 2;
  }
}

function parse() {
  return parseArgs({
    options: {
      spec: { type: 'string' },
      base: { type: 'string' },
      json: { type: 'boolean', default: false },
      release: { type: 'boolean', default: false },
      'allow-breaking': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
}

process.exitCode = await main();
