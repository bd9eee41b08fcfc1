// `bert finetune` / `bert predict` end to end on tiny inline files (a 30-token vocabulary, the tiny preset, a few
// steps): each writes its HF directory, eval.json and metrics.jsonl, and predict reads the directory back.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.js';
import { capture, tempDir } from '../test-io.js';

const WORDS = ['the', 'cat', 'dog', 'sat', 'ran', 'on', 'mat', 'a', 'big', 'small', 'who', '?', '.', 'yes', 'no'];
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...WORDS].join('\n');

async function run(args: string[], stdin?: string) {
  const c = capture();
  if (stdin !== undefined) {
    (c.io.stdin as NodeJS.WritableStream & NodeJS.ReadableStream).end(stdin);
  }
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

function setup() {
  const dir = tempDir('bert-ft-');
  writeFileSync(join(dir, 'vocab.txt'), `${VOCAB}\n`);
  return dir;
}

const common = (dir: string, out: string) => ['--vocab', join(dir, 'vocab.txt'), '--preset', 'tiny', '--out', join(dir, out), '--max-steps', '3', '--batch-size', '4', '--backend', 'cpu', '--json'];

describe('bert finetune + predict', () => {
  it('glue:stsb (regression): HF dir with problem_type, eval.json with pearson/spearman, metrics.jsonl, predict', async () => {
    const dir = setup();
    const head = 'index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore';
    const rows = ['the cat sat\tthe cat sat\t5.000', 'the dog ran\ta cat sat\t1.000', 'a big dog\ta small dog\t3.000', 'the mat\tthe mat\t4.800', 'who ran ?\tthe cat\t0.500'];
    const tsv = [head, ...rows.map((r, i) => `${i}\tmain\tf\t2012\t${i}\tnone\tnone\t${r}`)].join('\n');
    writeFileSync(join(dir, 'train.tsv'), tsv);
    writeFileSync(join(dir, 'dev.tsv'), tsv);
    const r = await run(['finetune', 'glue:stsb', '--train', join(dir, 'train.tsv'), '--dev', join(dir, 'dev.tsv'), ...common(dir, 'sts')]);
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out);
    expect(Object.keys(res.best.scores).sort()).toEqual(['combined_score', 'pearson', 'spearmanr']);
    const cfg = JSON.parse(readFileSync(join(dir, 'sts', 'final', 'config.json'), 'utf8'));
    expect(cfg.architectures).toEqual(['BertForSequenceClassification']);
    expect(cfg.problem_type).toBe('regression');
    expect(cfg.num_labels).toBe(1);
    expect(readFileSync(join(dir, 'sts', 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(existsSync(join(dir, 'sts', 'final', 'vocab.txt'))).toBe(true);
    // --lr-grid: one run per lr under lr-<x>/, the best dev score wins.
    const g = await run(['finetune', 'glue:stsb', '--train', join(dir, 'train.tsv'), '--dev', join(dir, 'dev.tsv'), ...common(dir, 'grid'), '--lr-grid', '5e-5,2e-3']);
    expect(g.code, g.err).toBe(0);
    const grid = JSON.parse(g.out);
    expect(grid.runs.map((x: { lr: number }) => x.lr)).toEqual([5e-5, 2e-3]);
    const bestRun = grid.runs.reduce((a: { scores: Record<string, number> }, b: { scores: Record<string, number> }) => (b.scores.pearson > a.scores.pearson ? b : a));
    expect(grid.best.lr).toBe(bestRun.lr);
    expect(grid.best.dir).toBe(join(dir, 'grid', `lr-${bestRun.lr}`, 'final'));
    expect(existsSync(join(dir, 'grid', `lr-${5e-5}`, 'eval.json'))).toBe(true);
    const p = await run(['predict', 'glue:stsb', '--model', join(dir, 'sts', 'final'), '--backend', 'cpu'], 'the cat sat\tthe dog ran\n');
    expect(p.code, p.err).toBe(0);
    expect(JSON.parse(p.out).label).toBe('score');
  });

  it('swag (multiple choice) from a CSV in the original format, then squad with --resume continuing a run', async () => {
    const dir = setup();
    const csv = [',video-id,fold-ind,startphrase,sent1,sent2,gold-source,ending0,ending1,ending2,ending3,label',
      '0,v1,1,the cat sat on,the cat sat .,the cat,gold,sat on the mat .,ran .,who ?,no .,0',
      '1,v2,2,a dog ran,a dog ran .,the dog,gold,yes .,ran on the mat .,big .,small .,1'].join('\n');
    writeFileSync(join(dir, 'swag.csv'), csv);
    const s = await run(['finetune', 'swag', '--train', join(dir, 'swag.csv'), '--dev', join(dir, 'swag.csv'), ...common(dir, 'swag')]);
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(s.out).baseline).toEqual({ accuracy: 0.5 });
    const p = await run(['predict', 'swag', '--model', join(dir, 'swag', 'final'), '--backend', 'cpu'], '{"context": "the cat sat .", "choices": ["yes .", "no .", "ran ."]}\n');
    expect(JSON.parse(p.out).scores).toHaveLength(3);

    const squad = { version: '1.1', data: [{ title: 't', paragraphs: [{ context: 'the cat sat on the mat . the dog ran .', qas: [
      { id: 'a', question: 'who sat ?', answers: [{ text: 'the cat', answer_start: 0 }] },
      { id: 'b', question: 'who ran ?', answers: [{ text: 'the dog', answer_start: 25 }] }] }] }] };
    writeFileSync(join(dir, 'squad.json'), JSON.stringify(squad));
    const args = ['finetune', 'squad', '--train', join(dir, 'squad.json'), '--dev', join(dir, 'squad.json'), '--checkpoint-every', '2'];
    const q = await run([...args, ...common(dir, 'squad')]);
    expect(q.code, q.err).toBe(0);
    expect(Object.keys(JSON.parse(q.out).best.scores)).toEqual(['exact_match', 'f1']);
    const more = common(dir, 'squad').map((a) => (a === '3' ? '4' : a)); // --max-steps 4
    const again = await run([...args, ...more, '--resume']);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out).runs[0].steps).toBe(4);
    expect(readFileSync(join(dir, 'squad', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step)).toEqual([1, 2, 3, 4]);
    const a = await run(['predict', 'squad', '--model', join(dir, 'squad', 'final'), '--context', 'the cat sat on the mat .', '--backend', 'cpu', 'who sat ?']);
    expect('the cat sat on the mat .').toContain(JSON.parse(a.out).answer);

    // --engine ort trains both heads too: the tfjs engine's losses step for step
    const losses = (out: string) => readFileSync(join(dir, out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).loss as number);
    const swagOrt = await run(['finetune', 'swag', '--train', join(dir, 'swag.csv'), '--dev', join(dir, 'swag.csv'), ...common(dir, 'swag-ort'), '--engine', 'ort', '--threads', '1']);
    if (/needs the optional package onnxruntime-node/.test(swagOrt.err)) return;
    expect(swagOrt.code, swagOrt.err).toBe(0);
    losses('swag-ort').forEach((l, i) => expect(Math.abs(l - losses('swag')[i]), `swag step ${i + 1}`).toBeLessThan(1e-5));
    const squadOrt = await run([...args, ...common(dir, 'squad-ort'), '--engine', 'ort', '--threads', '1']);
    expect(squadOrt.code, squadOrt.err).toBe(0);
    expect(losses('squad-ort')).toHaveLength(3);
    losses('squad-ort').forEach((l, i) => expect(Math.abs(l - losses('squad')[i]), `squad step ${i + 1}`).toBeLessThan(1e-5));
  });

  it('--engine ort trains the steps in ONNX Runtime: the tfjs engine\'s losses and scores (classification, regression)', async () => {
    const dir = setup();
    const rows = ['the cat sat\t1', 'the dog ran\t0', 'a big dog\t1', 'the small mat\t0', 'who ran ?\t1', 'no .\t0'];
    writeFileSync(join(dir, 'train.tsv'), ['sentence\tlabel', ...rows].join('\n'));
    writeFileSync(join(dir, 'dev.tsv'), ['sentence\tlabel', ...rows].join('\n'));
    const files = ['--train', join(dir, 'train.tsv'), '--dev', join(dir, 'dev.tsv'), '--lr', '1e-3'];
    const tfjs = await run(['finetune', 'glue:sst2', ...files, ...common(dir, 'tfjs')]);
    const ort = await run(['finetune', 'glue:sst2', ...files, ...common(dir, 'ort'), '--engine', 'ort', '--threads', '1']);
    expect(tfjs.code, tfjs.err).toBe(0);
    if (/needs the optional package onnxruntime-node/.test(ort.err)) {
      console.warn('skipped: onnxruntime-node is not installed');
      return;
    }
    expect(ort.code, ort.err).toBe(0);
    expect(ort.err).toMatch(/engine: ort \(onnxruntime-node, 1 thread\) for the training steps and the dev predictions/);
    const losses = (out: string) => readFileSync(join(dir, out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).loss as number);
    expect(losses('ort')).toHaveLength(3);
    losses('ort').forEach((l, i) => expect(Math.abs(l - losses('tfjs')[i]), `step ${i + 1}`).toBeLessThan(1e-5));
    expect(JSON.parse(ort.out).best.scores).toEqual(JSON.parse(tfjs.out).best.scores);
    const stsRows = ['0\tmain\tf\t2012\t0\tnone\tnone\tthe cat\tthe dog\t3.0', '1\tmain\tf\t2012\t1\tnone\tnone\ta big dog\tthe mat\t1.5', '2\tmain\tf\t2012\t2\tnone\tnone\tthe cat sat\tthe cat sat\t5.0'];
    writeFileSync(join(dir, 'sts.tsv'), ['index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore', ...stsRows].join('\n'));
    const sts = ['finetune', 'glue:stsb', '--train', join(dir, 'sts.tsv'), '--dev', join(dir, 'sts.tsv'), '--lr', '1e-3'];
    const stsTfjs = await run([...sts, ...common(dir, 'sts-tfjs')]);
    expect(stsTfjs.code, stsTfjs.err).toBe(0);
    const stsOrt = await run([...sts, ...common(dir, 'sts-ort'), '--engine', 'ort', '--threads', '1']);
    expect(stsOrt.code, stsOrt.err).toBe(0);
    losses('sts-ort').forEach((l, i) => expect(Math.abs(l - losses('sts-tfjs')[i]), `stsb step ${i + 1}`).toBeLessThan(1e-5));
    const threads = await run(['finetune', 'glue:sst2', ...files, ...common(dir, 'x'), '--threads', '2']);
    expect(threads.err).toMatch(/--threads: expected --engine ort/);
  });

  it('names a bad task and missing files', async () => {
    const dir = setup();
    const bad = await run(['finetune', 'glue:nope', ...common(dir, 'x')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/task: expected one of glue:cola/);
    const miss = await run(['finetune', 'conll', ...common(dir, 'x')]);
    expect(miss.err).toMatch(/conll: --train <file> is required/);
  });
});
