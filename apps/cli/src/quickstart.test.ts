import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { quickstartStages } from './quickstart.js';
import { capture, smallCorpus, tempDir } from './test-io.js';

describe('bert quickstart', () => {
  it('runs its stages end to end with tiny settings: vocabulary, pre-training, fill-mask vs untrained', async () => {
    const dir = tempDir('bert-quickstart-');
    writeFileSync(join(dir, 'corpus.txt'), smallCorpus());
    const c = capture();
    const code = await runCli(
      ['quickstart', '--corpus', join(dir, 'corpus.txt'), '--out', join(dir, 'qs'), '--steps', '4', '--vocab-size', '99', '--batch-size', '4', '--max-seq-length', '24', '--layers', '1', '--hidden', '32', '--heads', '4', '--intermediate', '37'],
      c.io,
    );
    expect(c.err()).not.toMatch(/Error/);
    expect(code).toBe(0);
    const out = c.out();
    const n = quickstartStages.length;
    for (const [i, s] of quickstartStages.entries()) expect(out).toContain(`[${i + 1}/${n}] ${s.title}`);
    expect(out).toMatch(/ {2}step 4\/4 {2}MLM loss \d+\.\d{3}/);
    // every sentence: a trained and an untrained line with 5 candidates each
    expect(out.match(/ {4}trained: {3}(\S+ \d+\.\d+%, ){4}\S+ \d+\.\d+%\n/g)).toHaveLength(5);
    expect(out.match(/ {4}untrained: (\S+ \d+\.\d+%, ){4}\S+ \d+\.\d+%\n/g)).toHaveLength(5);
    expect(out).toMatch(/pre-training: 4 steps in \d\d:\d\d on (wasm|cpu); MLM loss \d+\.\d{3} at step 1/);
    expect(out).toMatch(/quickstart: done in \d\d:\d\d\n$/);
    expect(existsSync(join(dir, 'qs', 'model', 'loss.html'))).toBe(true);
    expect(existsSync(join(dir, 'qs', 'model', 'model.safetensors'))).toBe(true);
    expect(existsSync(join(dir, 'qs', 'tokenizer', 'vocab.txt'))).toBe(true);
  });
});
