// `bert pretrain-data`: corpus → masked-LM / NSP instance shards (create_pretraining_data.py's job), so data
// generation and training are separate steps. Prints what the corpus reader replaced and the counts.
import { DEFAULT_DATA_OPTIONS, writePretrainingData, type Objective } from '@bertkit/pretraining/node';
import { choice, flag, int, num, required, str } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { formatCorpusReport } from '../corpus-report.js';
import { ProgressBar } from '../progress.js';
import { tokenizerFromArg } from '../tokenizer-arg.js';

export const OBJECTIVE_CHOICES: readonly Objective[] = ['mlm+nsp', 'mlm', 'ltr'];

/** `--mask-ratios 0.8,0.1,0.1` → the [MASK] / random / keep shares (must sum to 1). */
export function parseMaskRatios(text: string | undefined): { mask: number; random: number; keep: number } {
  if (text === undefined) return { mask: DEFAULT_DATA_OPTIONS.mask, random: DEFAULT_DATA_OPTIONS.random, keep: DEFAULT_DATA_OPTIONS.keep };
  const parts = text.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x) || x < 0 || x > 1) || Math.abs(parts[0] + parts[1] + parts[2] - 1) > 1e-9) {
    throw new UsageError(`--mask-ratios: expected three shares [MASK],random,keep in [0, 1] summing to 1 (e.g. 0.8,0.1,0.1), got '${text}'`);
  }
  return { mask: parts[0], random: parts[1], keep: parts[2] };
}

export const pretrainDataCommand: Command = {
  name: 'pretrain-data',
  summary: 'Turn a corpus into pre-training instance shards (MLM/NSP masking)',
  usage: '--corpus <file|dir|brown> --vocab <vocab.txt|dir> --out <dir> [options]',
  options: {
    corpus: { type: 'string', description: "text file or directory (one sentence per line, blank line between documents), or 'brown'", valueName: 'path' },
    vocab: { type: 'string', description: 'vocab.txt or a tokenizer directory (from bert vocab)', valueName: 'path' },
    out: { type: 'string', description: 'output directory for shard-*.bin and data.json', valueName: 'dir' },
    objective: { type: 'string', description: 'mlm+nsp | mlm | ltr', valueName: 'name', default: 'mlm+nsp' },
    'max-seq-length': { type: 'string', description: 'tokens per instance incl. [CLS]/[SEP]', valueName: 'n', default: String(DEFAULT_DATA_OPTIONS.maxSeqLength) },
    'dupe-factor': { type: 'string', description: 'passes over the corpus with different masks', valueName: 'n', default: String(DEFAULT_DATA_OPTIONS.dupeFactor) },
    'masked-lm-prob': { type: 'string', description: 'share of tokens to predict', valueName: 'p', default: String(DEFAULT_DATA_OPTIONS.maskedLmProb) },
    'max-predictions': { type: 'string', description: `max predictions per instance (default: min(${DEFAULT_DATA_OPTIONS.maxPredictionsPerSeq}, max-seq-length))`, valueName: 'n' },
    'short-seq-prob': { type: 'string', description: 'probability of a shorter target length', valueName: 'p', default: String(DEFAULT_DATA_OPTIONS.shortSeqProb) },
    'whole-word-mask': { type: 'boolean', description: 'mask all pieces of a word together' },
    'mask-ratios': { type: 'string', description: 'shares of chosen tokens → [MASK], random, unchanged', valueName: 'm,r,k', default: '0.8,0.1,0.1' },
    seed: { type: 'string', description: 'random seed', valueName: 'n', default: '12345' },
    'records-per-shard': { type: 'string', description: 'instances per shard file', valueName: 'n', default: '100000' },
  },
  async run(values, _positionals, io) {
    const corpus = required(values, 'corpus');
    const out = required(values, 'out');
    const { tokenizer } = await tokenizerFromArg('vocab', required(values, 'vocab'));
    const objective = choice(values, 'objective', OBJECTIVE_CHOICES, 'mlm+nsp');
    const maxSeqLength = int(values, 'max-seq-length', DEFAULT_DATA_OPTIONS.maxSeqLength, { min: 5 });
    const ratios = parseMaskRatios(str(values, 'mask-ratios'));
    const bar = new ProgressBar({ total: 0, label: 'instances', stream: io.stderr });
    let last = 0;
    const meta = await writePretrainingData({
      corpus,
      tokenizer,
      outDir: out,
      seed: int(values, 'seed', 12345, { min: 0 }),
      objective,
      maxSeqLength,
      dupeFactor: int(values, 'dupe-factor', DEFAULT_DATA_OPTIONS.dupeFactor, { min: 1 }),
      maskedLmProb: num(values, 'masked-lm-prob', DEFAULT_DATA_OPTIONS.maskedLmProb, { min: 0, max: 1 }),
      maxPredictionsPerSeq: int(values, 'max-predictions', Math.min(DEFAULT_DATA_OPTIONS.maxPredictionsPerSeq, maxSeqLength), { min: 1, max: maxSeqLength }),
      shortSeqProb: num(values, 'short-seq-prob', DEFAULT_DATA_OPTIONS.shortSeqProb, { min: 0, max: 1 }),
      wholeWordMask: flag(values, 'whole-word-mask'),
      ...ratios,
      recordsPerShard: int(values, 'records-per-shard', 100_000, { min: 1 }),
      onProgress: (p) => {
        last = p.instances;
        bar.update(0, `${p.instances} instances from ${p.documents} documents`);
      },
    });
    bar.done(`${last} instances`);
    if (meta.corpusReport) for (const l of formatCorpusReport(meta.corpusReport)) io.stderr.write(`${l}\n`);
    io.stdout.write(
      `pretrain-data: ${meta.instances} instances (${objective}, max ${meta.options.maxSeqLength} tokens, ${meta.maxPredictions} predictions) ` +
        `from ${meta.corpus.documents} documents / ${meta.corpus.sentences} sentences in ${meta.shards.length} shard(s) → ${out}/data.json\n`,
    );
    return 0;
  },
};
