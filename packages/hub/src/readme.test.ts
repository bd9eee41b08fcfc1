// Every ```ts block of README.md but the no-run one (a real download) runs as written, against the built package
// (`pnpm build` first, which turbo's `test` → `build` dependency does), and prints what its comments say. No network.
import { fixturesMissing, sharedMissing } from '@bertkit/test-utils';
import { describeReadme } from '@bertkit/test-utils/readme-suite';
import { expect } from 'vitest';

const missing = fixturesMissing('encoder/models/tiny/pretraining') ?? sharedMissing('models/bert-base-uncased-tokenizer');

describeReadme(import.meta.url, {
  runnable: 1,
  noRun: 1,
  skip: missing,
  // the block asks for offline mode itself; a dead local endpoint makes sure that a regression cannot go online
  run: { env: { HF_ENDPOINT: 'http://127.0.0.1:9' } },
  prints: (results) => {
    expect(results.map((r) => r.skipped)).toEqual([true, false]); // the download (no-run) comes first
    const out = results[1].stdout.split('\n');
    expect(out.slice(0, 3)).toEqual(['local true', 'cache true true', 'offline-cache-miss']);
    expect(out[3]).toMatch(
      /^offline \(HF_HUB_OFFLINE\): 'google-bert\/bert-base-uncased' revision 'main' is not in the cache \/\S+ \(no \/\S+\/models--google-bert--bert-base-uncased\/refs\/main\); run once online to download it$/,
    );
  },
});
