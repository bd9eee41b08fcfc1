// Every ```ts block of README.md runs as written, against the built package (`pnpm build` first, which turbo's
// `test` → `build` dependency does), and prints what its comments say.
import { fixturesMissing, sharedMissing } from '@bertkit/test-utils';
import { describeReadme } from '@bertkit/test-utils/readme-suite';
import { expect } from 'vitest';

const missing = fixturesMissing('encoder/models/tiny/pretraining') ?? sharedMissing('models/bert-base-uncased-tokenizer');

describeReadme(import.meta.url, {
  runnable: 1,
  skip: missing,
  title: 'prints what its comments say: the folder, the outputs, and ORT agreeing with tfjs',
  prints: (results) => {
    const out = results[0].stdout.split('\n');
    expect(out.slice(0, 3)).toEqual([
      'onnx/model.onnx config.json vocab.txt tokenizer.json tokenizer_config.json special_tokens_map.json',
      'last_hidden_state [batch_size,sequence_length,128], pooler_output [batch_size,128]',
      '[1,9,128]',
    ]);
    const diff = /^max \|ORT - tfjs\| = (\S+)$/.exec(out[3]);
    expect(diff, out[3]).not.toBeNull();
    expect(Number(diff![1])).toBeLessThan(1e-5);
  },
});
