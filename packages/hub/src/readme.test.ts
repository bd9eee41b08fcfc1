// Every ```ts block of README.md but the no-run one (a real download) runs as written, against the built package
// (`pnpm build` first, which turbo's `test` → `build` dependency does), and prints what its comments say. No network.
import { fixturesMissing, sharedMissing } from '@bertkit/test-utils';
import { runReadmeBlocks, type ReadmeBlockResult } from '@bertkit/test-utils/readme';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const missing = fixturesMissing('encoder/models/tiny/pretraining') ?? sharedMissing('models/bert-base-uncased-tokenizer');

describe.skipIf(missing !== null)('README.md', () => {
  let results: ReadmeBlockResult[] = [];
  beforeAll(async () => {
    // the block asks for offline mode itself; a dead local endpoint makes sure that a regression cannot go online
    results = await runReadmeBlocks(readme, { env: { HF_ENDPOINT: 'http://127.0.0.1:9' } });
  }, 300_000);

  it('has one runnable ts block that exits 0, and one no-run block', () => {
    expect(results.map((r) => r.skipped)).toEqual([true, false]);
    expect(results[1].exitCode, `README.md:${results[1].line}\n${results[1].stderr}`).toBe(0);
  });

  it('prints what its comments say', () => {
    const out = results[1].stdout.split('\n');
    expect(out.slice(0, 3)).toEqual(['local true', 'cache true true', 'offline-cache-miss']);
    expect(out[3]).toMatch(
      /^offline \(HF_HUB_OFFLINE\): 'google-bert\/bert-base-uncased' revision 'main' is not in the cache \/\S+ \(no \/\S+\/models--google-bert--bert-base-uncased\/refs\/main\); run once online to download it$/,
    );
  });
});
if (missing !== null) console.warn(missing);
