import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { capture, smallCorpus, tempDir } from '../test-io.js';

async function run(args: string[]) {
  const c = capture();
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

const TINY = ['--layers', '1', '--hidden', '32', '--heads', '4', '--intermediate', '37'];

describe('bert eval mlm / cloze, bert pretrain --recipe small-compute', () => {
  const dir = tempDir('bert-eval-lm-');
  const corpus = join(dir, 'corpus.txt');
  const model = join(dir, 'model');

  it('pretrain --recipe small-compute: MLM only, no dropout, and flags still override the recipe', async () => {
    writeFileSync(corpus, smallCorpus());
    expect((await run(['vocab', '--corpus', corpus, '--vocab-size', '99', '--out', join(dir, 'vocab')])).code).toBe(0);
    const r = await run(['pretrain', '--recipe', 'small-compute', '--corpus', corpus, '--vocab', join(dir, 'vocab'), '--out', model, '--steps', '3', '--batch-size', '4', '--max-seq-length', '24', '--attention-dropout', '0.2', ...TINY]);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.err + r.out).toMatch(/pretrain: mlm, 1 layers/);
    const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
    expect(config.hidden_dropout_prob).toBe(0);
    expect(config.attention_probs_dropout_prob).toBe(0.2);
    const metrics = readFileSync(join(model, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics[0].nspLoss).toBeUndefined();
    // warm-up 6 % of 3 steps floors to 0: the first step already runs at the peak rate 2e-3
    expect(metrics[0].lr).toBeCloseTo(2e-3, 12);
    expect((await run(['pretrain', '--recipe', 'nope', '--corpus', corpus, '--vocab', join(dir, 'vocab'), '--out', join(dir, 'x')])).err).toMatch(/--recipe: expected one of bert, small-compute, got 'nope'|recipe.*bert, small-compute/);
  });

  it('eval mlm: held-out loss and accuracy over masked predictions, as JSON', async () => {
    const r = await run(['eval', 'mlm', '--model', model, '--text', corpus, '--corpus-format', 'lines', '--max-seq-length', '24', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.instances).toBeGreaterThan(0);
    expect(j.predictions).toBeGreaterThanOrEqual(j.instances);
    expect(j.mlm_loss).toBeGreaterThan(0);
    expect(j.mlm_accuracy).toBeGreaterThanOrEqual(0);
    expect(j.mlm_accuracy).toBeLessThanOrEqual(1);
  });

  it('eval cloze: model and bigram baseline on the same saved items', async () => {
    const items = join(dir, 'items.jsonl');
    const r = await run(['eval', 'cloze', '--model', model, '--text', corpus, '--corpus-format', 'lines', '--baseline-corpus', corpus, '--items', '20', '--save-items', items, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.items).toBe(20);
    // the bigram model counted from the very text the items come from knows most of them
    expect(j.bigram.top1).toBeGreaterThan(0.3);
    expect(j.model.top1).toBeGreaterThanOrEqual(0);
    expect(j.model.top5).toBeGreaterThanOrEqual(j.model.top1);
    const saved = readFileSync(items, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(saved).toHaveLength(20);
    for (const it of saved) expect(it.text).toContain('[MASK]');
    const text = await run(['eval', 'cloze', '--text', corpus, '--corpus-format', 'lines', '--baseline-corpus', corpus, '--items', '5']);
    expect(text.out).toMatch(/cloze: 5 items from .*\n {2}bigram \(.*\): top-1 \d+\.\d %, top-5 \d+\.\d %/);
    expect((await run(['eval', 'cloze', '--text', corpus])).err).toMatch(/give --model <dir\|hub id>, --baseline-corpus <spec>, or both/);
  });
});
