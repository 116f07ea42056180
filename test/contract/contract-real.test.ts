import { describe, expect, it } from 'vitest';
import { checkContract, DEFAULT_RELEASED_DIR, listReleases } from '../../scripts/contract/check.js';
import { formatChange } from '../../scripts/contract/report.js';

describe('the real contract', () => {
  it('when the released versions are listed, then 1.0.0 is the first, kept as contract/released/1.0.0.yaml', async () => {
    const releases = await listReleases(DEFAULT_RELEASED_DIR);
    expect(releases[0]?.version).toBe('1.0.0');
    expect(releases[0]?.path.endsWith('contract/released/1.0.0.yaml')).toBe(true);
  });

  it.each(['full', 'forward', 'backward'] as const)(
    'when asyncapi.yaml is checked in %s mode against every released version, then nothing breaks consumers',
    async (mode) => {
      const result = await checkContract({ mode });
      if (result.status === 'no-baseline') throw new Error('no released version');
      const breaking = result.changes.filter((c) => c.severity === 'breaking').map(formatChange);
      expect(breaking).toEqual([]);
      expect(result.status).toBe('ok');
    },
  );
});
