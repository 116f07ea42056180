import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkContract, DEFAULT_BASELINE, DEFAULT_SPEC } from '../../scripts/contract/check.js';
import { formatChange } from '../../scripts/contract/report.js';

const bothExist = existsSync(DEFAULT_SPEC) && existsSync(DEFAULT_BASELINE);

describe('the real contract', () => {
  it.skipIf(!bothExist)(
    'when asyncapi.yaml is compared with the released baseline, then nothing breaks consumers',
    async () => {
      const result = await checkContract();
      if (result.status === 'no-baseline') throw new Error('unreachable: the baseline exists');
      const breaking = result.changes.filter((c) => c.severity === 'breaking').map(formatChange);
      expect(breaking, 'publish a new event/version, or release deliberately with --allow-breaking').toEqual([]);
      expect(result.status).toBe('ok');
    },
  );

  it('when the baseline is looked for, then it is the committed contract/released/asyncapi.yaml', () => {
    expect(DEFAULT_BASELINE).toBe(fileURLToPath(new URL('../../contract/released/asyncapi.yaml', import.meta.url)));
  });
});
