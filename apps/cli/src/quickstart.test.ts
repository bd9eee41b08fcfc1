import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { quickstartStages } from './quickstart.js';
import { capture, smallCorpus, tempDir } from './test-io.js';

const TINY = ['--layers', '1', '--hidden', '32', '--heads', '4', '--intermediate', '37'];

/** A stand-in for models/english: a 2-step `bert pretrain` run plus held-out cloze items. */
async function fakeShipped(dir: string): Promise<string> {
  const c = capture();
  const out = join(dir, 'shipped');
  const args = ['pretrain', '--recipe', 'small-compute', '--corpus', join(dir, 'corpus.txt'), '--vocab', join(dir, 'vocab'), '--out', out, '--steps', '2', '--batch-size', '4', '--max-seq-length', '24', ...TINY];
  expect(await runCli(['vocab', '--corpus', join(dir, 'corpus.txt'), '--vocab-size', '99', '--out', join(dir, 'vocab')], c.io)).toBe(0);
  expect(await runCli(args, c.io)).toBe(0);
  const items = [
    { text: 'the cat [MASK] the house every day .', answer: 'sees', left: 'cat', right: 'the' },
    { text: 'a dog likes [MASK] river every day .', answer: 'the', left: 'likes', right: 'river' },
  ];
  writeFileSync(join(out, 'heldout-cloze.jsonl'), items.map((x) => JSON.stringify(x)).join('\n') + '\n');
  return out;
}

/** A tiny SST-2 directory in GLUE's format. */
function fakeGlue(dir: string): string {
  const sst = join(dir, 'glue', 'SST-2');
  mkdirSync(sst, { recursive: true });
  const rows = ['the cat likes the house .\t1', 'a dog follows the river .\t0', 'my sister helps the children .\t1', 'the farmer watches a red ball .\t0'];
  writeFileSync(join(sst, 'train.tsv'), ['sentence\tlabel', ...rows, ...rows].join('\n') + '\n');
  writeFileSync(join(sst, 'dev.tsv'), ['sentence\tlabel', ...rows].join('\n') + '\n');
  return join(dir, 'glue');
}

describe('bert quickstart', () => {
  it('runs its stages end to end with tiny settings: vocabulary, pre-training, fill-mask, cloze, POS and SST-2 vs random init', async () => {
    const dir = tempDir('bert-quickstart-');
    writeFileSync(join(dir, 'corpus.txt'), smallCorpus());
    const shipped = await fakeShipped(dir);
    const glue = fakeGlue(dir);
    const c = capture();
    const code = await runCli(
      ['quickstart', '--corpus', join(dir, 'corpus.txt'), '--out', join(dir, 'qs'), '--steps', '4', '--vocab-size', '99', '--batch-size', '4', '--max-seq-length', '24', ...TINY,
        '--shipped', shipped, '--glue', glue, '--finetune-sentences', '64', '--finetune-epochs', '2', '--cloze-items', '2'],
      c.io,
    );
    expect(c.err()).not.toMatch(/Error/);
    expect(code).toBe(0);
    // onnxruntime-node is installed in this workspace, so the default is ORT (it is CPU-only: never on a GPU backend)
    expect(c.err()).toMatch(/fine-tuning engine: ort \(onnxruntime-node, the CPU\) \(default\)/);
    expect(c.err()).toMatch(/engine: ort \(onnxruntime-node, default threads\) for the training steps/);
    expect(c.err(), 'run in turn (from source, no worker): every run gets ORT\'s default threads').not.toMatch(/onnxruntime-node, 1 thread\)/);
    const out = c.out();
    const n = quickstartStages.length;
    for (const [i, s] of quickstartStages.entries()) expect(out).toContain(`[${i + 1}/${n}] ${s.title}`);
    expect(out).toMatch(/ {2}step 4\/4 {2}MLM loss \d+\.\d{3}/);
    expect(out).toMatch(/MLM loss \d+\.\d{3} vs \d+\.\d{3} for predicting each token by its frequency \(unigram entropy\): (at|below) it/);
    // every sentence: an untrained, a few-minute and a shipped line with 5 candidates each
    for (const who of ['untrained:   ', 'few minutes: ', 'shipped:     ']) {
      expect(out.match(new RegExp(` {4}${who}(\\S+ \\d+\\.\\d+%, ){4}\\S+ \\d+\\.\\d+%\\n`, 'g'))).toHaveLength(5);
    }
    expect(out).toMatch(/always "the": +cloze top-1 50\.0 %/);
    expect(out).toMatch(/shipped models\/english: +cloze top-1 \d+\.\d %, top-5 \d+\.\d %; MLM accuracy \d+\.\d % \(loss \d+\.\d{3}\)/);
    expect(out).toMatch(/POS tagging \(2 epochs over 64 sentences \(4 steps of 32\), first 1000 dev sentences\): shipped model \d+\.\d %, random init \d+\.\d %, most-frequent-tag baseline \d+\.\d %/);
    expect(out).toMatch(/SST-2 \(2 epochs over 64 sentences \(4 steps of 32\), dev accuracy\): shipped model \d+\.\d %, random init \d+\.\d %, majority class 50\.0 %/);
    expect(out).toMatch(/pre-training: 4 steps in \d\d:\d\d on (wasm|cpu); MLM loss \d+\.\d{3} at step 1/);
    expect(out).toMatch(/quickstart: done in \d\d:\d\d\n$/);
    expect(existsSync(join(dir, 'qs', 'model', 'loss.html'))).toBe(true);
    expect(existsSync(join(dir, 'qs', 'pos-shipped'))).toBe(true);
    expect(existsSync(join(dir, 'qs', 'sst2-random'))).toBe(true);
  });

  it('says what it skips when the shipped model and GLUE are not there', async () => {
    const dir = tempDir('bert-quickstart-');
    writeFileSync(join(dir, 'corpus.txt'), smallCorpus());
    const c = capture();
    const code = await runCli(
      ['quickstart', '--corpus', join(dir, 'corpus.txt'), '--out', join(dir, 'qs'), '--steps', '2', '--vocab-size', '99', '--batch-size', '4', '--max-seq-length', '24', ...TINY,
        '--shipped', 'none', '--glue', join(dir, 'no-glue'), '--finetune-engine', 'tfjs'],
      c.io,
    );
    expect(code).toBe(0);
    expect(c.err()).toMatch(/fine-tuning engine: tfjs \((wasm|cpu)\)\n/);
    expect(c.out()).toMatch(/skipped: no heldout-cloze\.jsonl in the shipped model directory \(none found\)/);
    expect(c.out()).toMatch(/skipped: no shipped model \(models\/english\) found/);
    expect(c.out()).toMatch(/\[6\/6\] fine-tuning SST-2.*\n {2}skipped: no shipped model/);
  });
});
