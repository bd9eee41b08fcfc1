import { sharedMissing, sharedPath } from '@bertkit/test-utils';
import { describe, expect, it } from 'vitest';
import { readGlueFile, readText } from '../node';
import { GlueFormatError, type GlueExample, parseGlueTsv, splitTsv } from './reader';
import { GLUE_SOURCE_LAYOUTS, GLUE_TASKS, GlueTaskError, type GlueSplit, glueTask } from './tasks';

describe('GLUE TSV parsing (inline files in the original layouts)', () => {
  it('splits on tabs only: quotes are data; BOM, CRLF and a missing final newline handled', () => {
    expect(splitTsv('\ufeffa\tb\r\n"x\t"y\n')).toEqual([['a', 'b'], ['"x', '"y']]);
    expect(splitTsv('a\tb')).toEqual([['a', 'b']]);
  });
  it('CoLA: no header, empty third column, label → id', () => {
    const ex = parseGlueTsv(GLUE_TASKS.cola, 'dev', 'gj04\t1\t\tThe sailors rode.\ngj04\t0\t*\tThe rope stretch "over".');
    expect(ex).toEqual([
      { id: '0', textA: 'The sailors rode.', label: '1', target: 1 },
      { id: '1', textA: 'The rope stretch "over".', label: '0', target: 0 },
    ]);
  });
  it('QQP and WNLI layouts (no real file here)', () => {
    const qqp = parseGlueTsv(GLUE_TASKS.qqp, 'dev', 'id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n201359\t303345\t303346\tWhy "are"?\tWhy is?\t1\n');
    expect(qqp).toEqual([{ id: '201359', textA: 'Why "are"?', textB: 'Why is?', label: '1', target: 1 }]);
    const qqpTest = parseGlueTsv(GLUE_TASKS.qqp, 'test', 'id\tquestion1\tquestion2\n0\tA?\tB?\n');
    expect(qqpTest).toEqual([{ id: '0', textA: 'A?', textB: 'B?' }]);
    const wnli = parseGlueTsv(GLUE_TASKS.wnli, 'train', 'index\tsentence1\tsentence2\tlabel\n0\tI stuck a pin.\tI stuck the pin.\t1\n');
    expect(wnli[0]).toEqual({ id: '0', textA: 'I stuck a pin.', textB: 'I stuck the pin.', label: '1', target: 1 });
  });
  it('errors name the line, the expected and the actual value', () => {
    expect(() => parseGlueTsv(GLUE_TASKS.rte, 'dev', 'index\tsentence1\tsentence2\tlabel\n0\ta\tb\tmaybe\n')).toThrow(
      /rte dev line 2: expected a label in \[entailment, not_entailment\], got "maybe"/,
    );
    expect(() => parseGlueTsv(GLUE_TASKS.rte, 'dev', 'index\tsentence1\tsentence2\tlabel\n0\ta\tb\tc\tentailment\n')).toThrow(GlueFormatError);
    expect(() => parseGlueTsv(GLUE_TASKS.stsb, 'dev', `${'h\t'.repeat(9)}h\n0\tg\tf\ty\to\ts\ts\ta\tb\thigh\n`)).toThrow(/expected a numeric score, got "high"/);
    expect(() => glueTask('squad')).toThrow(GlueTaskError);
    expect(glueTask('SST-2').name).toBe('sst2');
    expect(glueTask('MNLI-mm').name).toBe('mnli-mm');
  });
});

type Count = [task: keyof typeof GLUE_TASKS, folder: string, split: GlueSplit, file: string, rows: number, labels?: Record<string, number>];
// Row counts and label splits from each folder's PROVENANCE.md (= the GLUE release).
const counts: Count[] = [
  ['sst2', 'SST-2', 'train', 'train.tsv', 67349],
  ['sst2', 'SST-2', 'dev', 'dev.tsv', 872, { '1': 444, '0': 428 }],
  ['sst2', 'SST-2', 'test', 'test.tsv', 1821],
  ['cola', 'CoLA', 'train', 'train.tsv', 8551],
  ['cola', 'CoLA', 'dev', 'dev.tsv', 1043, { '1': 721, '0': 322 }],
  ['cola', 'CoLA', 'test', 'test.tsv', 1063],
  ['mrpc', 'MRPC', 'train', 'train.tsv', 3668],
  ['mrpc', 'MRPC', 'dev', 'dev.tsv', 408, { '1': 279, '0': 129 }],
  ['mrpc', 'MRPC', 'test', 'test.tsv', 1725],
  ['rte', 'RTE', 'train', 'train.tsv', 2490, { entailment: 1249, not_entailment: 1241 }],
  ['rte', 'RTE', 'dev', 'dev.tsv', 277, { entailment: 146, not_entailment: 131 }],
  ['rte', 'RTE', 'test', 'test.tsv', 3000],
  ['stsb', 'STS-B', 'train', 'train.tsv', 5749],
  ['stsb', 'STS-B', 'dev', 'dev.tsv', 1500],
  ['stsb', 'STS-B', 'test', 'test.tsv', 1379],
  ['qnli', 'QNLI', 'dev', 'dev.tsv', 5463, { entailment: 2702, not_entailment: 2761 }],
  ['mnli', 'MNLI/fixture-excerpts-fastnlp', 'train', 'train.tsv', 6],
  ['mnli', 'MNLI/fixture-excerpts-fastnlp', 'dev', 'dev_matched.tsv', 5],
  ['mnli', 'MNLI/fixture-excerpts-fastnlp', 'test', 'test_matched.tsv', 5],
  ['mnli-mm', 'MNLI/fixture-excerpts-fastnlp', 'dev', 'dev_mismatched.tsv', 5],
  ['mnli-mm', 'MNLI/fixture-excerpts-fastnlp', 'test', 'test_mismatched.tsv', 5],
];

const missing = sharedMissing('data/glue');
describe.skipIf(missing)(`GLUE files${missing ? ` (${missing})` : ''}`, () => {
  for (const [name, folder, split, file, rows, labels] of counts) {
    it(`${folder}/${file}: ${rows} rows${labels ? ` ${JSON.stringify(labels)}` : ''}`, () => {
      const task = GLUE_TASKS[name];
      expect(task.splits[split].file).toBe(file);
      const ex = readGlueFile(task, split, sharedPath(`data/glue/${folder}/${file}`));
      expect(ex.length).toBe(rows);
      for (const e of ex) {
        expect(e.textA.length).toBeGreaterThan(0);
        if (task.pair) expect(e.textB?.length).toBeGreaterThan(0);
        expect(e.target === undefined).toBe(split === 'test');
      }
      expect(new Set(ex.map((e) => e.id)).size).toBe(rows);
      if (labels) {
        const got: Record<string, number> = {};
        for (const e of ex) got[e.label as string] = (got[e.label as string] ?? 0) + 1;
        expect(got).toEqual(labels);
      }
    });
  }
  const read = (folder: string, task: keyof typeof GLUE_TASKS, split: GlueSplit): GlueExample[] =>
    readGlueFile(GLUE_TASKS[task], split, sharedPath(`data/glue/${folder}/${GLUE_TASKS[task].splits[split].file}`));
  const src = (task: keyof typeof GLUE_TASKS, folder: string, file: string, layout: keyof typeof GLUE_SOURCE_LAYOUTS) =>
    parseGlueTsv(GLUE_TASKS[task], 'train', readText(sharedPath(`data/glue/${folder}/${file}`)), { ...GLUE_SOURCE_LAYOUTS[layout], file });
  it('source files: CoLA raw 8551 / 527 / 516 (dev.tsv = in-domain + out-of-domain dev), MSR 4076 / 1725', () => {
    expect(src('cola', 'CoLA', 'original/raw/in_domain_train.tsv', 'colaRaw').length).toBe(8551);
    const inDev = src('cola', 'CoLA', 'original/raw/in_domain_dev.tsv', 'colaRaw');
    const outDev = src('cola', 'CoLA', 'original/raw/out_of_domain_dev.tsv', 'colaRaw');
    expect([inDev.length, outDev.length]).toEqual([527, 516]);
    expect(read('CoLA', 'cola', 'dev').map((e) => e.textA)).toEqual([...inDev, ...outDev].map((e) => e.textA));
    expect(src('mrpc', 'MRPC', 'msr_paraphrase_train.txt', 'msrParaphrase').length).toBe(4076);
    expect(src('mrpc', 'MRPC', 'msr_paraphrase_test.txt', 'msrParaphrase').length).toBe(1725);
  });
  it('STS Benchmark originals: 5749 / 1500 / 1379 rows, 197 / 22 / 284 of them with 9 fields; same pairs as GLUE dev', () => {
    const counts: [string, number][] = [['original/sts-train.tsv', 5749], ['original/sts-dev.tsv', 1500], ['original/sts-test.tsv', 1379]];
    for (const [file, n] of counts) expect(src('stsb', 'STS-B', file, 'stsOriginal').length).toBe(n);
    const nine = (file: string) => readText(sharedPath(`data/glue/STS-B/${file}`)).split('\n').filter((l) => l.split('\t').length === 9).length;
    expect(counts.map(([f]) => nine(f))).toEqual([197, 22, 284]);
    const dev = src('stsb', 'STS-B', 'original/sts-dev.tsv', 'stsOriginal');
    expect(dev.map((e) => [e.textA, e.textB, e.target])).toEqual(read('STS-B', 'stsb', 'dev').map((e) => [e.textA, e.textB, e.target]));
  });
  it('keeps raw quotes and trailing spaces, strips only the BOM', () => {
    const mrpc = read('MRPC', 'mrpc', 'dev');
    expect(mrpc[0].textB).toBe('"The foodservice pie business does not fit our long-term growth strategy.');
    expect(read('SST-2', 'sst2', 'dev')[0]).toEqual({ id: '0', textA: "it 's a charming and often affecting journey . ", label: '1', target: 1 });
    const sts = read('STS-B', 'stsb', 'dev')[0];
    expect(sts).toEqual({ id: '0', textA: 'A man with a hard hat is dancing.', textB: 'A man wearing a hard hat is dancing.', label: '5.000', target: 5 });
    const mnli = read('MNLI/fixture-excerpts-fastnlp', 'mnli', 'dev')[0];
    expect(mnli.id).toBe('0');
    expect(mnli.textA).toBe('The new rights are nice enough');
    expect(mnli.label).toBe('neutral');
    expect(mnli.target).toBe(2);
  });
});
