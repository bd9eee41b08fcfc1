import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { runCli } from '../cli.js';
import { capture, tempDir } from '../test-io.js';

async function run(args: string[]) {
  const c = capture();
  const code = await runCli(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('bert eval squad (inline)', () => {
  it('prints evaluate-v1.1.py output for a v1.1 file and evaluate-v2.0.py output with na_probs thresholds', async () => {
    const dir = tempDir();
    const ds = (version: string) => ({
      version,
      data: [{ title: 't', paragraphs: [{ context: 'The cat sat on the mat.', qas: [
        { id: 'q1', question: 'Who sat?', answers: [{ text: 'The cat', answer_start: 0 }], ...(version === '1.1' ? {} : { is_impossible: false }) },
        { id: 'q2', question: 'Where?', answers: [{ text: 'on the mat', answer_start: 12 }, { text: 'the mat', answer_start: 15 }], ...(version === '1.1' ? {} : { is_impossible: false }) },
        ...(version === '1.1' ? [] : [{ id: 'q3', question: 'Why?', answers: [], is_impossible: true }]),
      ] }] }],
    });
    writeFileSync(join(dir, 'v1.json'), JSON.stringify(ds('1.1')));
    writeFileSync(join(dir, 'v2.json'), JSON.stringify(ds('v2.0')));
    writeFileSync(join(dir, 'p1.json'), JSON.stringify({ q1: 'the cat', q2: 'sat on the mat' }));
    writeFileSync(join(dir, 'p2.json'), JSON.stringify({ q1: 'the cat', q2: 'sat on the mat', q3: 'because' }));
    writeFileSync(join(dir, 'na.json'), JSON.stringify({ q1: 0.1, q2: 0.2, q3: 0.9 }));
    const v1 = await run(['eval', 'squad', '--data', join(dir, 'v1.json'), '--predictions', join(dir, 'p1.json')]);
    expect(v1.code).toBe(0);
    // q1 exact after normalisation; q2 'sat on mat' vs golds 'on mat' (P 2/3, R 1: F1 0.8) and 'mat' (0.5): max 0.8
    expect(v1.out).toBe('{"exact_match": 50.0, "f1": 90.0}\n');
    // a question without prediction: the official script's warning on stderr, unless --quiet
    writeFileSync(join(dir, 'p1-missing.json'), JSON.stringify({ q1: 'the cat' }));
    const loud = await run(['eval', 'squad', '--data', join(dir, 'v1.json'), '--predictions', join(dir, 'p1-missing.json')]);
    expect(loud.err).toMatch(/Unanswered question q2 will receive score 0\./);
    const quiet = await run(['eval', 'squad', '--quiet', '--data', join(dir, 'v1.json'), '--predictions', join(dir, 'p1-missing.json')]);
    expect(quiet.err).toBe('');
    expect(quiet.out).toBe(loud.out);
    const v2 = await run(['eval', 'squad', '--data', join(dir, 'v2.json'), '--predictions', join(dir, 'p2.json'), '--na-probs', join(dir, 'na.json'), '--json']);
    expect(v2.code).toBe(0);
    const j = JSON.parse(v2.out) as Record<string, number>;
    expect(j).toMatchObject({ total: 3, HasAns_total: 2, NoAns_total: 1, exact: 100 / 3, f1: 60, best_exact_thresh: 0.1, best_f1_thresh: 0.2 });
    // find_best_thresh: start from "all empty" (1 right), q1 +1 (na 0.1), q2 +0 / +0.8 (na 0.2), q3 -1 (na 0.9)
    expect(j.best_exact).toBeCloseTo(200 / 3, 9);
    expect(j.best_f1).toBeCloseTo(280 / 3, 9);
    expect(v2.out.startsWith('{\n  "exact": ')).toBe(true);
    const o = await run(['eval', 'squad', '--data', join(dir, 'v2.json'), '--predictions', join(dir, 'p2.json'), '--out-file', join(dir, 'eval.json')]);
    expect(o.out).toBe('');
    expect(readFileSync(join(dir, 'eval.json'), 'utf8')).toBe('{"exact": 33.333333333333336, "f1": 60.0, "total": 3, "HasAns_exact": 50.0, "HasAns_f1": 90.0, "HasAns_total": 2, "NoAns_exact": 0.0, "NoAns_f1": 0.0, "NoAns_total": 1}');
  });

  it('names a missing predictions file and an unknown task', async () => {
    const r = await run(['eval', 'squad', '--data', '/nonexistent.json', '--predictions', 'x']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bert eval: .*nonexistent\.json/);
    const t = await run(['eval', 'swag']);
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/expected a task \(squad, conll, glue, cloze, mlm\), got 'swag'/);
  });
});

describe('bert eval conll / glue (inline)', () => {
  it('prints conlleval\'s report and its JSON form', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 't.txt'), ['John NNP B-PER B-PER', 'Smith NNP I-PER I-PER', 'in IN O O', 'Paris NNP B-LOC B-ORG', '', 'Hi UH O B-MISC', ''].join('\n'));
    const r = await run(['eval', 'conll', '--predictions', join(dir, 't.txt')]);
    expect(r.out).toBe(
      'processed 5 tokens with 2 phrases; found: 3 phrases; correct: 1.\n' +
        'accuracy:  60.00%; precision:  33.33%; recall:  50.00%; FB1:  40.00\n' +
        '              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0\n' +
        '             MISC: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n' +
        '              ORG: precision:   0.00%; recall:   0.00%; FB1:   0.00  1\n' +
        '              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1\n',
    );
    const j = JSON.parse((await run(['eval', 'conll', '--predictions', join(dir, 't.txt'), '--json'])).out);
    expect(j).toMatchObject({ tokens: 5, phrases: 2, found: 3, correct: 1, accuracy: 60 });
  });

  it('scores a GLUE submission file against a labelled dev TSV (MRPC: accuracy, F1)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dev.tsv'), ['Quality\t#1 ID\t#2 ID\t#1 String\t#2 String', '1\t1\t2\ta\tb', '0\t3\t4\tc\td', '1\t5\t6\te\tf', '0\t7\t8\tg\th'].join('\n') + '\n');
    writeFileSync(join(dir, 'preds.tsv'), 'index\tprediction\n0\t1\n1\t1\n2\t1\n3\t0\n');
    const r = await run(['eval', 'glue', '--task', 'MRPC', '--data', join(dir, 'dev.tsv'), '--predictions', join(dir, 'preds.tsv'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ task: 'mrpc', examples: 4, f1: 0.8, accuracy: 0.75, combined_score: 0.775 });
    const text = await run(['eval', 'glue', '--task', 'mrpc', '--data', join(dir, 'dev.tsv'), '--predictions', join(dir, 'preds.tsv')]);
    expect(text.out).toBe('mrpc: 4 examples\n  accuracy             0.7500\n  f1                   0.8000\n  combined_score       0.7750\n');
  });
});

const squadRef = 'data/squad/reference-predictions';
describe.skipIf(sharedMissing(squadRef))('bert eval squad on Google\'s published predictions (../shared)', () => {
  for (const [version, preds] of [['v1.1', 'v1.1-bert-ensemble-google'], ['v2.0', 'v2.0-bert-single-google']] as const) {
    it(`${version}: prints the official script's output byte for byte`, async () => {
      const r = await run(['eval', 'squad', '--data', sharedPath(`data/squad/dev-${version}.json`), '--predictions', sharedPath(`${squadRef}/${preds}.json`)]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(readFileSync(sharedPath(`${squadRef}/${preds}.official-score.json`), 'utf8').trimEnd() + '\n');
    });
  }
});

const conllRef = 'data/conll2003/conlleval-reference';
describe.skipIf(sharedMissing(conllRef))('bert eval conll on the conlleval reference outputs (../shared)', () => {
  for (const name of ['conll_gold_vs_iob1', 'conll_gold_vs_allI']) {
    it(`${name}: matches conlleval's output byte for byte`, async () => {
      const r = await run(['eval', 'conll', '--predictions', sharedPath(`${conllRef}/${name}.txt`)]);
      expect(r.out).toBe(readFileSync(sharedPath(`${conllRef}/${name}.conlleval-output.txt`), 'utf8'));
    });
  }
});

describe.skipIf(sharedMissing('data/glue/SST-2/dev.tsv'))('bert eval glue on SST-2 dev (../shared)', () => {
  it('scores the gold labels as predictions: accuracy 1 over all 872 rows', async () => {
    const dir = tempDir();
    const rows = readFileSync(sharedPath('data/glue/SST-2/dev.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
    writeFileSync(join(dir, 'p.tsv'), ['index\tprediction', ...rows.map((r, i) => `${i}\t${r.split('\t')[1]}`)].join('\n') + '\n');
    const r = await run(['eval', 'glue', '--task', 'sst-2', '--data', sharedPath('data/glue/SST-2/dev.tsv'), '--predictions', join(dir, 'p.tsv'), '--json']);
    expect(JSON.parse(r.out)).toEqual({ task: 'sst2', examples: 872, accuracy: 1 });
  });
});
