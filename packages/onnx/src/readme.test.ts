// Every ```ts block of README.md runs as written, against the built package (`pnpm build` first, which turbo's
// `test` → `build` dependency does), and prints what its comments say.
import { fixturesMissing, sharedMissing } from '@bertkit/test-utils';
import { runReadmeBlocks, type ReadmeBlockResult } from '@bertkit/test-utils/readme';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const missing = fixturesMissing('encoder/models/tiny/pretraining') ?? sharedMissing('models/bert-base-uncased-tokenizer');

describe.skipIf(missing !== null)('README.md', () => {
  let results: ReadmeBlockResult[] = [];
  beforeAll(async () => {
    results = await runReadmeBlocks(readme);
  }, 300_000);

  it('has a runnable ts block, and it exits 0', () => {
    expect(results.filter((r) => !r.skipped).length).toBe(1);
    for (const r of results) if (!r.skipped) expect(r.exitCode, `README.md:${r.line}\n${r.stderr}`).toBe(0);
  });

  it('prints what its comments say: the folder, the outputs, and ORT agreeing with tfjs', () => {
    const out = results[0].stdout.split('\n');
    expect(out.slice(0, 3)).toEqual([
      'onnx/model.onnx config.json vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json',
      'last_hidden_state [batch_size,sequence_length,128], pooler_output [batch_size,128]',
      '[1,9,128]',
    ]);
    const diff = /^max \|ORT - tfjs\| = (\S+)$/.exec(out[3]);
    expect(diff, out[3]).not.toBeNull();
    expect(Number(diff![1])).toBeLessThan(1e-5);
  });
});
if (missing !== null) console.warn(missing);
