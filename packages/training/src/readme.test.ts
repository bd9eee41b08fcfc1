// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does), and prints what its comments say.
import { runReadmeBlocks, type ReadmeBlockResult } from '@bertkit/test-utils/readme';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('README.md', () => {
  let results: ReadmeBlockResult[] = [];
  beforeAll(async () => {
    results = await runReadmeBlocks(readme);
  }, 300_000);

  it('has a runnable ts block, and it exits 0', () => {
    expect(results.filter((r) => !r.skipped).length).toBe(1);
    for (const r of results) if (!r.skipped) expect(r.exitCode, `README.md:${r.line}\n${r.stderr}`).toBe(0);
  });

  it('prints what its comments say: the run, its checkpoints, and a resume equal to it', () => {
    expect(results[0].stdout.split('\n')).toEqual([
      'step 5: loss 0.9074, lr 0.0889',
      'step 10: loss 0.7534, lr 0.0611',
      'checkpoint checkpoint-00000010',
      'step 15: loss 0.6802, lr 0.0333',
      'step 20: loss 0.6553, lr 0.0056',
      'checkpoint checkpoint-00000020',
      "resumed: 10 steps, losses equal to the uninterrupted run's: true",
      '',
    ]);
  });
});
