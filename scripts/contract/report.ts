import type { Change, Severity } from './change.js';

const ORDER: Severity[] = ['breaking', 'additive', 'info'];

export interface Summary {
  breaking: number;
  additive: number;
  info: number;
}

export function summarise(changes: readonly Change[]): Summary {
  return {
    breaking: changes.filter((c) => c.severity === 'breaking').length,
    additive: changes.filter((c) => c.severity === 'additive').length,
    info: changes.filter((c) => c.severity === 'info').length,
  };
}

/** `BREAKING loyalty.points.earned data.tier: type changed string → integer` */
export function formatChange(change: Change): string {
  const where = [change.event || '(document)', change.messageId && `[${change.messageId}]`, displayPath(change)]
    .filter(Boolean)
    .join(' ');
  const since = change.against ? ` [against ${change.against}]` : '';
  const rule =
    change.direction === 'producers'
      ? ` (${change.rule}, refuses what producers may send)`
      : change.direction && change.direction !== 'none'
        ? ` (${change.rule}, breaks ${change.direction})`
        : ` (${change.rule})`;
  return `${change.severity.toUpperCase()} ${where}: ${change.text}${rule}${since}`;
}

function displayPath(change: Change): string {
  if (change.part === 'payload' && change.path === '') return '(payload)';
  if (change.part === 'channel' || change.part === 'operation') {
    // Bindings are named by their key; other event-level changes by their spec location.
    const binding = change.path.indexOf('bindings.');
    return binding >= 0 ? change.path.slice(binding) : change.path;
  }
  return change.path;
}

/** The human report: grouped BREAKING / ADDITIVE / INFO, one line per change, then a summary line. */
export function formatReport(changes: readonly Change[], header: string): string {
  const lines = [header, ''];
  for (const severity of ORDER) {
    const group = changes.filter((c) => c.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${severity.toUpperCase()} (${group.length})`);
    for (const change of group) lines.push(`  ${formatChange(change)}`);
    lines.push('');
  }
  if (changes.length === 0) lines.push('No changes against the released contract.', '');
  lines.push(formatSummary(changes));
  return lines.join('\n');
}

export function formatSummary(changes: readonly Change[]): string {
  const s = summarise(changes);
  const verdict = s.breaking > 0 ? 'FAIL: breaking changes for consumers' : 'OK: no breaking changes';
  return `contract-check: ${s.breaking} breaking, ${s.additive} additive, ${s.info} info — ${verdict}`;
}
