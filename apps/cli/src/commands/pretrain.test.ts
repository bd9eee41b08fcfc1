import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '@bertkit/encoder';
import { importOnnxRuntime } from '@bertkit/onnx/node';
import { runCli } from '../cli.js';
import { capture, smallCorpus, tempDir } from '../test-io.js';

const root = tempDir('bert-pretrain-');
const vocab = join(root, 'tok');
beforeAll(async () => {
  writeFileSync(join(root, 'corpus.txt'), smallCorpus());
  expect(await runCli(['vocab', '--corpus', join(root, 'corpus.txt'), '--vocab-size', '99', '--min-frequency', '1', '--out', vocab], capture().io)).toBe(0);
});

// odd sizes so shape bugs show; 6 steps of 4 × 24 tokens
const MODEL = ['--layers', '2', '--hidden', '32', '--heads', '4', '--intermediate', '37'];
const RUN = ['--vocab', vocab, ...MODEL, '--steps', '6', '--batch-size', '4', '--max-seq-length', '24', '--dupe-factor', '2', '--lr', '1e-3', '--warmup', '2', '--seed', '3', '--checkpoint-every', '2'];
const KEYS = ['step', 'loss', 'mlmLoss', 'nspLoss', 'lr', 'mlmAccuracy', 'nspAccuracy', 'gradNorm'] as const;

function metrics(dir: string): Record<string, number>[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const o = JSON.parse(l) as Record<string, number>;
    return Object.fromEntries(KEYS.map((k) => [k, o[k]]));
  });
}

async function pretrain(args: string[]) {
  const c = capture();
  const code = await runCli(['pretrain', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('bert pretrain', () => {
  let full: Record<string, number>[];
  const fullDir = join(root, 'full');

  it('trains from a corpus; writes metrics.jsonl, loss.html/svg, checkpoints and an HF directory', async () => {
    const r = await pretrain(['--corpus', join(root, 'corpus.txt'), ...RUN, '--out', fullDir]);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^pretrain: steps 0 → 6 in \d\d:\d\d on (wasm|cpu), MLM loss \d+\.\d{3} → \d+\.\d{3}\n/);
    full = metrics(fullDir);
    expect(full.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const m of full) for (const k of KEYS) expect(Number.isFinite(m[k]), `${k} at step ${m.step}`).toBe(true);
    expect(full[0].lr).toBe(0); // warmup starts at 0
    expect(full[2].lr).toBeCloseTo(1e-3, 12); // peak after 2 warmup steps
    const config = JSON.parse(readFileSync(join(fullDir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ architectures: ['BertForPreTraining'], vocab_size: 99, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 37 });
    const names = [...readSafetensors(new Uint8Array(readFileSync(join(fullDir, 'model.safetensors')))).tensors.keys()];
    expect(names).toEqual(expect.arrayContaining(['bert.embeddings.word_embeddings.weight', 'cls.predictions.bias', 'cls.predictions.transform.dense.weight', 'cls.seq_relationship.weight', 'bert.pooler.dense.weight']));
    expect(readFileSync(join(fullDir, 'vocab.txt'), 'utf8')).toBe(readFileSync(join(vocab, 'vocab.txt'), 'utf8'));
    expect(readFileSync(join(fullDir, 'loss.html'), 'utf8')).toMatch(/<svg[^]*<path d="M[^"]+"[^]*step 6\/6: loss/);
    expect(existsSync(join(fullDir, 'loss.svg'))).toBe(true);
    for (const s of [2, 4, 6]) expect(existsSync(join(fullDir, 'checkpoints', `checkpoint-0000000${s}`, 'optimizer.safetensors'))).toBe(true);
  });

  it('--resume from an earlier checkpoint logs exactly the uninterrupted metrics at every later step', async () => {
    const dir = join(root, 'cut');
    cpSync(fullDir, dir, { recursive: true });
    // as if killed between step 3 and 4: later checkpoints gone, metrics logged up to step 3
    rmSync(join(dir, 'checkpoints', 'checkpoint-00000004'), { recursive: true });
    rmSync(join(dir, 'checkpoints', 'checkpoint-00000006'), { recursive: true });
    writeFileSync(join(dir, 'metrics.jsonl'), readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
    const r = await pretrain(['--corpus', join(root, 'corpus.txt'), ...RUN, '--out', dir, '--resume']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/resuming at step 2 from .*checkpoint-00000002/);
    expect(metrics(dir)).toEqual(full);
  });

  it('--engine ort logs the tfjs engine\'s metrics (same seed, dropout on), and its checkpoints resume on tfjs', async (ctx) => {
    if (!(await importOnnxRuntime().then(() => true, () => false))) return ctx.skip(); // as the engine loads it
    const dir = join(root, 'ort');
    const r = await pretrain(['--corpus', join(root, 'corpus.txt'), ...RUN, '--out', dir, '--engine', 'ort', '--threads', '1']);
    expect(r.err).not.toMatch(/Error/);
    expect(r.err).toMatch(/engine ort \(onnxruntime-node, 1 thread\)/);
    expect(r.out).toMatch(/^pretrain: steps 0 → 6 in \d\d:\d\d on ort, /);
    const ort = metrics(dir);
    ort.forEach((m, i) => {
      for (const k of KEYS) expect(Math.abs(m[k] - full[i][k]), `${k} at step ${m.step}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(full[i][k])));
    });
    // cut after step 2 and resume with the tfjs engine: the same metrics at steps 3-6
    rmSync(join(dir, 'checkpoints', 'checkpoint-00000004'), { recursive: true });
    rmSync(join(dir, 'checkpoints', 'checkpoint-00000006'), { recursive: true });
    writeFileSync(join(dir, 'metrics.jsonl'), readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
    expect((await pretrain(['--corpus', join(root, 'corpus.txt'), ...RUN, '--out', dir, '--resume'])).code).toBe(0);
    metrics(dir).forEach((m, i) => {
      for (const k of KEYS) expect(Math.abs(m[k] - ort[i][k]), `${k} at step ${m.step}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(ort[i][k])));
    });
  });

  it('--engine ort refuses what it cannot run, naming it', async () => {
    const withCkpt = await pretrain(['--corpus', join(root, 'corpus.txt'), ...RUN, '--out', join(root, 'x'), '--engine', 'ort', '--checkpoint-layers']);
    expect(withCkpt.code).toBe(1);
    expect(withCkpt.err).toMatch(/--checkpoint-layers: expected the tfjs engine \(ORT keeps its own activations\), got --engine ort/);
    const threads = await pretrain(['--corpus', join(root, 'corpus.txt'), ...RUN, '--out', join(root, 'x'), '--threads', '2']);
    expect(threads.code).toBe(2);
    expect(threads.err).toMatch(/--threads: expected --engine ort/);
  });

  it('refuses to resume with a different batch size, naming both values', async () => {
    const r = await pretrain(['--corpus', join(root, 'corpus.txt'), ...RUN, '--batch-size', '5', '--out', fullDir, '--resume']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PretrainConfigError: --resume: batchSize expected 4 \(as the checkpointed run\), got 5/);
  });

  it('trains the mlm objective from pretrain-data shards', async () => {
    const data = join(root, 'shards');
    expect(await runCli(['pretrain-data', '--corpus', join(root, 'corpus.txt'), '--vocab', vocab, '--max-seq-length', '24', '--dupe-factor', '1', '--objective', 'mlm', '--out', data], capture().io)).toBe(0);
    const r = await pretrain(['--data', data, '--vocab', vocab, ...MODEL, '--objective', 'mlm', '--steps', '2', '--batch-size', '4', '--max-seq-length', '24', '--out', join(root, 'mlm')]);
    expect(r.code).toBe(0);
    const m = metrics(join(root, 'mlm'));
    expect(m.map((x) => x.nspLoss)).toEqual([undefined, undefined]);
    expect(JSON.parse(readFileSync(join(root, 'mlm', 'config.json'), 'utf8')).architectures).toEqual(['BertForMaskedLM']);
    // resuming from shards restarts the reader at the checkpointed (epoch, shard, record): same metrics
    const shardRun = ['--data', data, '--vocab', vocab, ...MODEL, '--objective', 'mlm', '--steps', '5', '--batch-size', '7', '--max-seq-length', '24', '--checkpoint-every', '2'];
    expect((await pretrain([...shardRun, '--out', join(root, 'mlm-full')])).code).toBe(0);
    cpSync(join(root, 'mlm-full'), join(root, 'mlm-cut'), { recursive: true });
    for (const s of [4, 5]) rmSync(join(root, 'mlm-cut', 'checkpoints', `checkpoint-0000000${s}`), { recursive: true });
    expect((await pretrain([...shardRun, '--out', join(root, 'mlm-cut'), '--resume'])).code).toBe(0);
    expect(metrics(join(root, 'mlm-cut'))).toEqual(metrics(join(root, 'mlm-full')));
    const bad = await pretrain(['--data', data, '--vocab', vocab, ...MODEL, '--steps', '2', '--max-seq-length', '24', '--out', join(root, 'x')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/objective mlm\+nsp needs NSP labels, the shards were made for 'mlm'/);
  });

  it('--init continues from an HF directory (the first run\'s final model): step-1 loss is the trained model\'s', async () => {
    const dir = join(root, 'init');
    const r = await pretrain(['--corpus', join(root, 'corpus.txt'), '--init', fullDir, '--steps', '2', '--batch-size', '4', '--max-seq-length', '24', '--dupe-factor', '2', '--seed', '3', '--out', dir]);
    expect(r.code).toBe(0);
    // the same first batch (seed 3) scored by the trained weights: lower than the fresh model's first loss
    expect(metrics(dir)[0].loss).toBeLessThan(full[0].loss);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toMatchObject({ hidden_size: 32, intermediate_size: 37, vocab_size: 99 });
  });

  it('--init-layers stacks the --init model\'s layers (layer i = its layer i mod 2) and trains the deeper model', async () => {
    const dir = join(root, 'stacked');
    const r = await pretrain(['--corpus', join(root, 'corpus.txt'), '--init', fullDir, '--init-layers', '5', '--steps', '1', '--warmup', '1', '--batch-size', '4', '--max-seq-length', '24', '--dupe-factor', '2', '--seed', '3', '--out', dir]);
    expect(r.err).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/5 layers × 32 hidden/);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toMatchObject({ num_hidden_layers: 5, hidden_size: 32 });
    const read = (d: string) => readSafetensors(new Uint8Array(readFileSync(join(d, 'model.safetensors')))).tensors;
    const [from, to] = [read(fullDir), read(dir)];
    const name = (i: number) => `bert.encoder.layer.${i}.attention.self.query.weight`;
    expect(to.has(name(5))).toBe(false);
    for (const [i, j] of [[0, 0], [1, 1], [2, 0], [3, 1], [4, 0]]) expect(Array.from(to.get(name(i))!.data as Float32Array), `layer ${i}`).toEqual(Array.from(from.get(name(j))!.data as Float32Array)); // warm-up: step 1's lr is 0, still the copies
    expect(metrics(dir)[0].loss).not.toBeCloseTo(full[0].loss, 3); // a different function from the 2-layer model's
    const bad = await pretrain(['--corpus', join(root, 'corpus.txt'), '--vocab', vocab, ...MODEL, '--init-layers', '4', '--steps', '1', '--out', join(root, 'no-init')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--init-layers: expected --init <dir>/);
  });

  it('trains the ltr objective (left-to-right LM, no NSP)', async () => {
    const r = await pretrain(['--corpus', join(root, 'corpus.txt'), '--vocab', vocab, ...MODEL, '--objective', 'ltr', '--steps', '2', '--batch-size', '2', '--max-seq-length', '24', '--dupe-factor', '1', '--out', join(root, 'ltr')]);
    expect(r.code).toBe(0);
    const m = metrics(join(root, 'ltr'));
    expect(m.map((x) => x.step)).toEqual([1, 2]);
    expect(m.every((x) => x.nspLoss === undefined && Number.isFinite(x.mlmLoss))).toBe(true);
  });

  it('rejects --corpus with --data (exit 2)', async () => {
    const r = await pretrain(['--corpus', 'a', '--data', 'b', '--vocab', vocab, '--out', root]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/exactly one of --corpus/);
  });
});

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');
describe.skipIf(!existsSync(bin) && 'dist/bin.js not built (pnpm build): kill -9 test skipped')('bert pretrain killed with SIGKILL', () => {
  it('resumes after kill -9 to the same metrics as an uninterrupted run', async () => {
    const dir = join(root, 'killed');
    const args = ['pretrain', '--corpus', join(root, 'corpus.txt'), ...RUN, '--steps', '10', '--out'];
    expect(await runCli([...args, join(root, 'ref')], capture().io)).toBe(0);
    const child = spawn(process.execPath, [bin, ...args, dir], { stdio: 'ignore' });
    const exited = new Promise((res) => child.on('exit', res));
    // kill as soon as the step-4 checkpoint is published (mid-run: 6 steps remain)
    const ck = join(dir, 'checkpoints', 'checkpoint-00000004');
    for (let i = 0; i < 600 && !existsSync(ck); i++) await new Promise((res) => setTimeout(res, 50));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(ck)).toBe(true);
    expect(existsSync(join(dir, 'model.safetensors'))).toBe(false); // it did not finish
    expect(await runCli([...args, dir, '--resume'], capture().io)).toBe(0);
    expect(metrics(dir)).toEqual(metrics(join(root, 'ref')));
  });
});
