export interface Row {
  figure: string;
  value: number;
  unit: string;
  target?: string;
  /** value / its ceiling. */
  ratio?: number;
  /** Whether the target is met (absent: a reference figure). */
  pass?: boolean;
  note?: string;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(Math.abs(v) >= 10 ? 1 : 2);
}

/** The table on stdout, one row per figure, then `last` as the last line. */
export function printTable(rows: Row[], last: string): void {
  const cells = rows.map((r) => [
    r.figure,
    fmt(r.value),
    r.unit,
    r.target ?? '',
    `${r.ratio === undefined ? '' : `${r.ratio.toFixed(2)} `}${r.pass === undefined ? '' : r.pass ? 'ok' : 'MISSED'}`,
    r.note ?? '',
  ]);
  const head = ['figure', 'value', 'unit', 'target', 'ratio/verdict', 'notes'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === 1 ? x.padStart(widths[i] as number) : x.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
  console.log(last);
}
