import { relative } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';

const POSITIONED = /^\S+:\d+:\d+ /;

/**
 * Gives every problem line a `file:line:col` prefix so terminals and editors can jump to it.
 * Lines that already have one (parser diagnostics) pass through; the generator's semantic problems
 * (`operation publishX: …`, `message X …`, `model X: …`) are located in the YAML by the id they name,
 * anything else points at 1:1.
 */
export function locateProblems(
  specPath: string,
  specText: string,
  problems: readonly string[],
  cwd = process.cwd(),
): string[] {
  const file = relative(cwd, specPath) || specPath;
  const lineCounter = new LineCounter();
  const doc = parseDocument(specText, { lineCounter });
  // The position of the key (`publishX:`), which is where an editor should land.
  const position = (path: string[]): string | undefined => {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === path.at(-1));
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (!range) return undefined;
    const { line, col } = lineCounter.linePos(range[0]);
    return `${line}:${col}`;
  };
  const channelMessage = (id: string): string | undefined => {
    const channels = doc.get('channels', true);
    if (!isMap(channels)) return undefined;
    for (const pair of channels.items) {
      const found = position(['channels', String(pair.key), 'messages', id]);
      if (found) return found;
    }
    return undefined;
  };
  return problems.map((problem) => {
    if (POSITIONED.test(problem)) return problem;
    const [, kind, id] = /^(operation|message|model|channel) ([^\s:,]+)/.exec(problem) ?? [];
    let at: string | undefined;
    if (kind === 'operation' && id) at = position(['operations', id]);
    else if (kind === 'channel' && id) at = position(['channels', id]);
    else if (kind === 'message' && id) at = position(['components', 'messages', id]) ?? channelMessage(id);
    else if (kind === 'model' && id) at = position(['components', 'schemas', id]);
    return `${file}:${at ?? '1:1'} ${problem}`;
  });
}
