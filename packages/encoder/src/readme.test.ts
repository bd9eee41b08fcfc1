// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does).
import { describeReadme } from '@bertkit/test-utils/readme-suite';
import { expect } from 'vitest';

describeReadme(import.meta.url, {
  runnable: 2,
  prints: (results) => {
    const [quickstart, errors] = results.map((r) => r.stdout);
    expect(quickstart).toMatch(/^backend: (webgpu|wasm|cpu)$/m);
    expect(quickstart).toContain('BERT-Base: 109482240 parameters');
    expect(quickstart).toContain('layers: 2, head tensors: cls.predictions.bias, kept: true');
    expect(quickstart).toContain('sequenceOutput [1,5,128], pooledOutput [1,128], 3 hidden states, attentions [1,2,5,5]');
    expect(errors).toContain('no/such/model: expected a model directory (config.json + ');
    expect(errors).toContain('got no such directory');
    expect(errors).toContain('model/vocab.txt: expected at most 30522 tokens (vocab_size in model/config.json, ');
  },
});
