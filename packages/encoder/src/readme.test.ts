// Every ```ts block of README.md runs as written (against the built package: `pnpm build` first, which turbo's
// `test` → `build` dependency does).
import { runReadmeBlocks, type ReadmeBlockResult } from '@bertkit/test-utils/readme';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

describe('README.md', () => {
  let results: ReadmeBlockResult[] = [];
  beforeAll(async () => {
    results = await runReadmeBlocks(readme);
  }, 300_000);

  it('has runnable ts blocks, and each exits 0', () => {
    expect(results.filter((r) => !r.skipped).length).toBeGreaterThanOrEqual(2);
    for (const r of results) if (!r.skipped) expect(r.exitCode, `README.md:${r.line}\n${r.stderr}`).toBe(0);
  });

  it('prints what its comments say', () => {
    const [quickstart, errors] = results.map((r) => r.stdout);
    expect(quickstart).toMatch(/^backend: (webgpu|wasm|cpu)$/m);
    expect(quickstart).toContain('BERT-Base: 109482240 parameters');
    expect(quickstart).toContain('layers: 2, head tensors: cls.predictions.bias, kept: true');
    expect(quickstart).toContain('sequenceOutput [1,5,128], pooledOutput [1,128], 3 hidden states, attentions [1,2,5,5]');
    expect(errors).toContain('no/such/model: expected a model directory (config.json + ');
    expect(errors).toContain('got no such directory');
    expect(errors).toContain('model/vocab.txt: expected at most 30522 tokens (vocab_size in model/config.json, ');
  });
});
