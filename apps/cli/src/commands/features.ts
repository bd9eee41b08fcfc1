// `bert features extract` and `bert features train-tagger`: the feature-based approach of paper §5.3.
// extract writes google-research/bert extract_features.py's JSONL; train-tagger trains a BiLSTM on frozen features
// of a token-classification task (CoNLL-2003 NER, Brown POS) and prints the same dev metric and baseline as
// `bert finetune <task>`, so both approaches compare with one command each. Logic lives in @bertkit/heads.
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkVocabSize } from '@bertkit/encoder';
import { loadModel } from '@bertkit/encoder/node';
import {
  FeatureConfigError,
  conllevalSentences,
  extractFeatures,
  featureJsonLine,
  featureTaggerExperiment,
  formatConllevalInput,
  formatConllevalReport,
  parseLayerList,
  parseLayerSelection,
  type FeatureTaggerResult,
  type TokenFeature,
  type FineTuneTask,
} from '@bertkit/heads';
import { readConllFile } from '@bertkit/heads/node';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { BACKEND_OPTIONS, initBackendArg } from '../backend-arg.js';
import { resolveModelArg } from '../model-arg.js';
import { choice, flag, int, num, required, str } from '../args.js';
import { UsageError, type Command, type Io } from '../command.js';
import { buildTask } from './finetune-tasks.js';

type Values = Parameters<Command['run']>[0];

const TAGGER_TASKS = ['conll', 'brown-pos'] as const;

async function load(values: Values, io: Io) {
  await initBackendArg(values, io);
  const dir = await resolveModelArg(required(values, 'model'), io);
  const tokenizer = await loadTokenizer(dir);
  const { model } = await loadModel(dir, { addPooler: false, strict: true });
  checkVocabSize(model.config, tokenizer.vocabSize, { vocab: join(dir, 'vocab.txt'), config: join(dir, 'config.json') });
  return { tokenizer, model };
}

function layersOf<T>(values: Values, fallback: string, parse: (s: string) => T): T {
  const spec = str(values, 'layers', fallback);
  try {
    return parse(spec);
  } catch (e) {
    if (e instanceof FeatureConfigError) throw new UsageError(`--layers: ${e.message}`);
    throw e;
  }
}

async function extract(values: Values, io: Io): Promise<number> {
  const input = required(values, 'input');
  const layers = layersOf(values, '-1,-2,-3,-4', parseLayerList);
  const pooling = choice(values, 'pooling', ['none', 'first', 'mean'] as const, 'none');
  const maxSeqLength = values['max-seq-length'] === undefined ? undefined : int(values, 'max-seq-length', 128, { min: 3 });
  const docStride = values['doc-stride'] === undefined ? undefined : int(values, 'doc-stride', 64, { min: 1 });
  const text = readFileSync(input, 'utf8');
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop(); // the final newline ends the last line, it is not one more
  const { tokenizer, model } = await load(values, io);
  const outPath = str(values, 'out');
  const out = outPath ? createWriteStream(outPath) : io.stdout;
  try {
    const chunk = 64; // bounded memory: features of 64 lines at a time
    for (let s = 0; s < lines.length; s += chunk) {
      const res = await extractFeatures(model, tokenizer, lines.slice(s, s + chunk).map((l) => l.trim()), { layers, pooling, maxSeqLength, docStride, batchSize: 8 });
      for (const r of res) out.write(`${featureJsonLine({ ...r, lineIndex: r.lineIndex + s })}\n`);
    }
  } finally {
    model.dispose();
    if (outPath) await new Promise<void>((res) => (out as NodeJS.WritableStream).end(() => res()));
  }
  if (outPath) io.stderr.write(`features of ${lines.length} lines written to ${outPath}\n`);
  return 0;
}

async function trainTaggerCmd(values: Values, io: Io): Promise<number> {
  const taskName = choice(values, 'task', TAGGER_TASKS, 'conll');
  const layers = layersOf(values, 'sum-last-4', parseLayerSelection);
  const pooling = choice(values, 'pooling', ['first', 'mean'] as const, 'first');
  const opt = (k: string) => (values[k] === undefined ? undefined : int(values, k, 0, { min: 1 }));
  const files = { train: str(values, 'train'), dev: str(values, 'dev'), maxTrain: opt('max-train'), maxDev: opt('max-dev'), maxSeqLength: opt('max-seq-length') };
  const epochs = int(values, 'epochs', 3, { min: 1 });
  const lr = num(values, 'lr', 1e-3, { min: 0 });
  const hiddenSize = int(values, 'hidden', 768, { min: 1 });
  const numLayers = int(values, 'num-layers', 2, { min: 1 });
  const batchSize = int(values, 'batch-size', 32, { min: 1 });
  const seed = int(values, 'seed', 42);
  const outDir = str(values, 'out', `features-${taskName}`);
  const task = buildTask(taskName, files) as FineTuneTask<TokenFeature>;
  const { tokenizer, model } = await load(values, io);
  let r: FeatureTaggerResult;
  try {
    r = await featureTaggerExperiment(model, tokenizer, task, {
      layers, pooling, epochs, lr, hiddenSize, numLayers, batchSize, seed,
      onEpoch: (e) => io.stderr.write(`epoch ${e.epoch}: loss ${e.meanLoss.toFixed(4)}, dev ${e.scores[task.mainMetric].toFixed(4)} ${task.mainMetric}\n`),
    });
  } finally {
    model.dispose();
  }
  mkdirSync(outDir, { recursive: true });
  const { predictions, ...metrics } = r;
  const config = { model: str(values, 'model'), task: taskName, layers: str(values, 'layers', 'sum-last-4'), pooling, epochs, lr, hiddenSize, numLayers, batchSize, seed, ...files };
  writeFileSync(join(outDir, 'metrics.json'), `${JSON.stringify({ config, ...metrics }, null, 2)}\n`);
  let report = '';
  if (taskName === 'conll') {
    // conlleval input (word … gold guess) of the dev sentences, as `bert eval conll --predictions` reads it
    const dev = readConllFile(files.dev as string);
    const ds = { ...dev, sentences: files.maxDev === undefined ? dev.sentences : dev.sentences.slice(0, files.maxDev) };
    const tags = predictions as string[][];
    writeFileSync(join(outDir, 'predictions.txt'), formatConllevalInput(ds, tags));
    report = formatConllevalReport(conllevalSentences(ds.sentences.map((s) => s.tags), tags));
  } else {
    writeFileSync(join(outDir, 'predictions.json'), `${JSON.stringify(predictions)}\n`);
  }
  if (flag(values, 'json')) {
    io.stdout.write(`${JSON.stringify(metrics)}\n`);
    return 0;
  }
  const fmt = (s: Record<string, number> | null) => (s ? Object.entries(s).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') : 'n/a');
  io.stdout.write(
    `${report}${taskName} feature-based (${r.layers}, BiLSTM ${numLayers}×${hiddenSize}, ${epochs} epochs): ${fmt(r.scores)}\n` +
      `baseline (majority / most frequent): ${fmt(r.baseline)}\nwritten: ${outDir}\n`,
  );
  return 0;
}

export const featuresCommand: Command = {
  name: 'features',
  summary: 'feature-based approach (§5.3): extract layer features as JSONL, or train a BiLSTM tagger on them',
  usage:
    'extract --model <dir> --input <file> [--layers=-1,-2,-3,-4] [--pooling none|first|mean] [--out features.jsonl]\n' +
    '  train-tagger --model <dir> --task conll|brown-pos [--train <file> --dev <file>] [--layers sum-last-4|concat-last-4|=-1|=-2|…] [--epochs --lr --hidden] [--out <dir>]',
  options: {
    model: { type: 'string', description: 'HF model directory (config.json, weights, vocab)', valueName: 'dir' },
    input: { type: 'string', description: 'extract: one text per line, `text_a ||| text_b` for pairs', valueName: 'file' },
    layers: { type: 'string', description: 'extract: indices (write --layers=-1,-2: a value starting with - needs the =) or `;`-separated combinations; train-tagger: sum-last-4 (default), concat-last-4, sum-all, -1, weighted:-1=0.5,…', valueName: 'spec' },
    pooling: { type: 'string', description: 'extract: none (tokens, default), first or mean (words); train-tagger: first (default) or mean', valueName: 'mode' },
    'max-seq-length': { type: 'string', description: 'window length incl. [CLS]/[SEP] (default 128)', valueName: 'n' },
    'doc-stride': { type: 'string', description: 'extract: tokens between window starts of a long text (default half a window)', valueName: 'n' },
    out: { type: 'string', description: 'extract: JSONL file (default stdout); train-tagger: output folder', valueName: 'path' },
    task: { type: 'string', description: `train-tagger: ${TAGGER_TASKS.join(' | ')} (default conll)`, valueName: 'name' },
    train: { type: 'string', description: 'train-tagger: train file (conll)', valueName: 'file' },
    dev: { type: 'string', description: 'train-tagger: dev file (conll)', valueName: 'file' },
    'max-train': { type: 'string', description: 'train-tagger: use only the first N train sentences', valueName: 'n' },
    'max-dev': { type: 'string', description: 'train-tagger: use only the first N dev sentences', valueName: 'n' },
    epochs: { type: 'string', description: 'train-tagger: epochs (default 3)', valueName: 'n' },
    lr: { type: 'string', description: 'train-tagger: AdamW peak learning rate (default 1e-3)', valueName: 'x' },
    hidden: { type: 'string', description: 'train-tagger: BiLSTM hidden size per direction (default 768, §5.3)', valueName: 'n' },
    'num-layers': { type: 'string', description: 'train-tagger: BiLSTM layers (default 2, §5.3)', valueName: 'n' },
    'batch-size': { type: 'string', description: 'train-tagger: sentences per step (default 32)', valueName: 'n' },
    seed: { type: 'string', description: 'train-tagger: seed of init and data order (default 42)', valueName: 'n' },
    ...BACKEND_OPTIONS,
    json: { type: 'boolean', description: 'train-tagger: print the result as JSON' },
  },
  async run(values, positionals, io) {
    const sub = positionals[0];
    if (sub === 'extract') return extract(values, io);
    if (sub === 'train-tagger') return trainTaggerCmd(values, io);
    throw new UsageError(`expected a subcommand: extract or train-tagger, got ${sub === undefined ? 'none' : `'${sub}'`}`);
  },
};
