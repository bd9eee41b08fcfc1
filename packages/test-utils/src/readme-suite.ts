// The vitest suite every package's readme.test.ts runs: README.md (beside the test's package) runs once, block by
// block (`runReadmeBlocks`), the runnable and no-run blocks are counted, every runnable block must exit 0, and the
// package's own `prints` check reads what the blocks printed. One harness instead of a copy per package.
import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runReadmeBlocks, type ReadmeBlockResult, type RunReadmeOptions } from './readme.js';

export interface ReadmeSuite {
  /** Runnable ```ts blocks the README has (exactly). */
  runnable: number;
  /** ```ts no-run blocks (exactly). Default 0. */
  noRun?: number;
  /** Why the suite is skipped (fixtures or models absent), or null. */
  skip?: string | null;
  run?: RunReadmeOptions;
  /** Title of the output check. Default 'prints what its comments say'. */
  title?: string;
  /** Asserts what the blocks printed; gets every block's result, in README order. */
  prints: (results: ReadmeBlockResult[]) => void;
}

/** Declares the README suite of the package whose test file is `testFileUrl` (its README is `../README.md`). */
export function describeReadme(testFileUrl: string, s: ReadmeSuite): void {
  const readme = fileURLToPath(new URL('../README.md', testFileUrl));
  describe.skipIf((s.skip ?? null) !== null)(`README.md${s.skip ? ` (${s.skip})` : ''}`, () => {
    let results: ReadmeBlockResult[] = [];
    beforeAll(async () => {
      results = await runReadmeBlocks(readme, s.run);
    }, 300_000);

    it(`has ${s.runnable} runnable ts block(s) that exit 0${s.noRun ? ` and ${s.noRun} no-run block(s)` : ''}`, () => {
      expect(results.filter((r) => !r.skipped).length).toBe(s.runnable);
      expect(results.filter((r) => r.skipped).length).toBe(s.noRun ?? 0);
      for (const r of results) if (!r.skipped) expect(r.exitCode, `README.md:${r.line}\n${r.stderr}`).toBe(0);
    });

    it(s.title ?? 'prints what its comments say', () => s.prints(results));
  });
}
