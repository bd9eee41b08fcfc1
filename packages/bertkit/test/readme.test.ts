// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does).
import { fixturesMissing } from '@bertkit/test-utils';
import { runReadmeBlocks, type ReadmeBlockResult } from '@bertkit/test-utils/readme';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const skip = fixturesMissing('encoder');

describe.skipIf(skip !== null)(`README.md (${skip ?? 'runs its ts blocks'})`, () => {
  let results: ReadmeBlockResult[] = [];
  beforeAll(async () => {
    results = await runReadmeBlocks(readme);
  }, 300_000);

  it('runs, and prints what it says', () => {
    const run = results.filter((r) => !r.skipped);
    expect(run).toHaveLength(1);
    expect(run[0].exitCode, `README.md:${run[0].line}\n${run[0].stderr}`).toBe(0);
    expect(run[0].stdout).toContain('backend: cpu, first token: w15 [0, 3)');
    // labels without B-/I- continue a group; the unknown token keeps its text
    expect(run[0].stdout).toMatch(/^groups: \[\["LABEL_\d","w15 w79 Zürich"\]\]$/m);
  });
});
