// `bert finetune <task>`: fine-tunes a pre-trained (or randomly initialised) BERT on one of the paper's tasks with
// its defaults (lr 5e-5 | 3e-5 | 2e-5, optionally a grid picking the best dev score; batch 32; 3 epochs, 2 for
// SQuAD), then evaluates on dev with the official metric next to the majority / most-frequent baseline. Writes
// metrics.jsonl, checkpoints/ (resumable with --resume), final/ (an HF directory BertFor<Task> loads), eval.json.
import { Rng, initBackend, type BackendName } from '@bertkit/backend';
import { BertTaskModel, withLabels, type FineTuneTask } from '@bertkit/heads';
import { loadTaskModel, runFineTune, type FineTuneRunResult } from '@bertkit/heads/node';
import type { BertTokenizer } from '@bertkit/tokenizer';
import { BACKEND_OPTIONS, initBackendArg } from '../backend-arg.js';
import { choice, flag, int, num, str } from '../args.js';
import { UsageError, type Command, type Io } from '../command.js';
import { ProgressBar, fmtTime } from '../progress.js';
import { tokenizerFromArg } from '../tokenizer-arg.js';
import { engineArg } from '../engine-arg.js';
import { ortThreadsText } from '@bertkit/onnx';
import { modelConfig, type ModelShape } from '@bertkit/pretraining/node';
import { PRESET_NAMES, modelShapeFrom } from './pretrain.js';
import { TASK_NAMES, buildTask } from './finetune-tasks.js';


export interface FineTuneCliOptions {
  task: string;
  out: string;
  /** Pre-trained HF directory (its vocab.txt unless `vocab`), or null with `preset` for a random init. */
  model: string | null;
  /** Random-init shape (preset + overrides), as `bert pretrain` takes it. */
  shape: ModelShape;
  vocab: string | null;
  train?: string;
  dev?: string;
  lrs: number[];
  batchSize: number;
  epochs: number | null;
  maxSteps: number | null;
  maxSeqLength?: number;
  maxTrain?: number;
  maxDev?: number;
  seed: number;
  resume: boolean;
  checkpointEvery: number;
  tagset?: 'universal' | 'simplified' | 'raw';
  backend?: BackendName;
  /** The training steps' engine (default tfjs: the backend); ort: ONNX Runtime's CPU kernels. */
  engine?: 'tfjs' | 'ort';
  /** ORT threads per operator, with engine ort. */
  threads?: number;
}

export type FineTuneCliResult = FineTuneRunResult;

async function freshModel(o: FineTuneCliOptions, task: FineTuneTask<unknown>, tokenizer: BertTokenizer): Promise<BertTaskModel> {
  const labels = task.labels ?? undefined;
  if (o.model) return loadTaskModel(o.model, { kind: task.kind, labels, problemType: task.problemType, rng: new Rng(o.seed) });
  const base = modelConfig(o.shape, tokenizer.vocabSize, 512);
  return new BertTaskModel(withLabels(base, labels, task.problemType === 'regression' ? 'regression' : undefined), task.kind, { rng: new Rng(o.seed) });
}

/** The whole command (also used by `bert quickstart`): @bertkit/heads' runFineTune with a progress bar per rate. */
export async function runFineTuneCli(o: FineTuneCliOptions, io: Io): Promise<FineTuneCliResult> {
  await initBackend(o.backend ? { backend: o.backend } : {});
  const vocabArg = o.vocab ?? o.model;
  if (!vocabArg) throw new UsageError('give --model <hf-dir> (pre-trained) or --vocab <vocab.txt|dir> with --preset (random init)');
  const { tokenizer, vocabFile } = await tokenizerFromArg(o.vocab ? 'vocab' : 'model', vocabArg);
  const task = buildTask(o.task, { train: o.train, dev: o.dev, maxTrain: o.maxTrain, maxDev: o.maxDev, maxSeqLength: o.maxSeqLength, tagset: o.tagset }) as FineTuneTask<unknown>;
  let bar: ProgressBar | null = null;
  if (o.engine === 'ort') io.stderr.write(`engine: ort (onnxruntime-node, ${ortThreadsText(o.threads)}) for the training steps and the dev predictions\n`);
  return runFineTune({
    task,
    tokenizer,
    vocabFile,
    out: o.out,
    newModel: () => freshModel(o, task, tokenizer),
    lrs: o.lrs,
    batchSize: o.batchSize,
    epochs: o.epochs ?? undefined,
    maxSteps: o.maxSteps ?? undefined,
    seed: o.seed,
    resume: o.resume,
    checkpointEvery: o.checkpointEvery,
    runConfig: { task: o.task },
    ...(o.engine !== undefined ? { engine: o.engine } : {}),
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    onEvent: (e) => {
      if (e.type === 'features') io.stderr.write(`${task.name}: ${e.train} train / ${e.dev} dev features (${fmtTime(e.seconds)})\n`);
      else if (e.type === 'start') bar = new ProgressBar({ total: e.totalSteps, startCount: e.step, label: `finetune ${task.name} lr ${e.lr}`, stream: io.stderr });
      else if (e.type === 'step') bar?.update(e.step, `loss ${e.loss.toFixed(4)}`);
      else if (e.type === 'done') bar?.done();
      else if (e.type === 'run-done') {
        io.stderr.write(`${task.name} lr ${e.lr}: ${Object.entries(e.scores).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')} (${e.steps} steps, ${fmtTime(e.seconds)})\n`);
      }
    },
  });
}

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

function lrList(values: Values): number[] {
  const grid = str(values, 'lr-grid');
  if (grid === undefined) return [num(values, 'lr', 5e-5, { min: 1e-9, max: 1 })];
  const lrs = grid.split(',').map((s) => Number(s.trim()));
  if (lrs.length === 0 || lrs.some((x) => !(x > 0 && x < 1))) throw new UsageError(`--lr-grid: expected comma-separated learning rates in (0, 1), got '${grid}'`);
  return lrs;
}

export const finetuneCommand: Command = {
  name: 'finetune',
  summary: 'Fine-tune on GLUE, SQuAD, CoNLL-2003, SWAG or Brown POS/genre; evaluate on dev against a baseline',
  usage: `<${TASK_NAMES.join(' | ')}> (--model <hf-dir> | --vocab <vocab> --preset tiny) [--train f --dev f] --out <dir> [--lr 5e-5 | --lr-grid 5e-5,3e-5,2e-5] [--max-steps N] [--resume]`,
  options: {
    model: { type: 'string', description: 'pre-trained HF model directory (e.g. bert pretrain --out); its vocab.txt is used', valueName: 'dir' },
    vocab: { type: 'string', description: 'vocab.txt or tokenizer directory (required with --preset)', valueName: 'path' },
    preset: { type: 'string', description: `random init of this size: ${PRESET_NAMES.join(', ')} (default tiny; ignored with --model)`, valueName: 'name' },
    layers: { type: 'string', description: 'random init: override the number of layers', valueName: 'n' },
    hidden: { type: 'string', description: 'random init: override the hidden size', valueName: 'n' },
    heads: { type: 'string', description: 'random init: override the attention heads', valueName: 'n' },
    intermediate: { type: 'string', description: 'random init: override the feed-forward size', valueName: 'n' },
    train: { type: 'string', description: 'train file in the original format (GLUE tsv, SQuAD json, CoNLL txt, SWAG csv)', valueName: 'file' },
    dev: { type: 'string', description: 'dev file in the original format', valueName: 'file' },
    out: { type: 'string', description: 'output directory (default: finetune-<task>)', valueName: 'dir' },
    lr: { type: 'string', description: 'peak learning rate (default 5e-5)', valueName: 'x' },
    'lr-grid': { type: 'string', description: 'several learning rates; the best dev score wins (paper: 5e-5,3e-5,2e-5)', valueName: 'a,b,c' },
    'batch-size': { type: 'string', description: 'batch size (default 32)', valueName: 'n' },
    epochs: { type: 'string', description: 'epochs (default 3; SQuAD 2)', valueName: 'n' },
    'max-steps': { type: 'string', description: 'stop after N optimizer steps (quick runs)', valueName: 'n' },
    'max-seq-length': { type: 'string', description: 'tokens per sequence (default 128; SQuAD 384)', valueName: 'n' },
    'max-train': { type: 'string', description: 'use only the first N train examples', valueName: 'n' },
    'max-dev': { type: 'string', description: 'use only the first N dev examples', valueName: 'n' },
    tagset: { type: 'string', description: 'brown-pos: universal (default), simplified or raw', valueName: 'name' },
    seed: { type: 'string', description: 'seed of the head init, data order and dropout (default 42)', valueName: 'n' },
    resume: { type: 'boolean', description: 'continue from the newest checkpoint in --out' },
    'checkpoint-every': { type: 'string', description: 'checkpoint every N steps (default 0: only at the end)', valueName: 'n' },
    ...BACKEND_OPTIONS,
    engine: { type: 'string', description: 'tfjs (default: the --backend runs the steps) | ort: ONNX Runtime\'s CPU kernels, several times faster on a CPU (needs onnxruntime-node)', valueName: 'name' },
    threads: { type: 'string', description: 'with --engine ort: ORT threads per operator (default: the physical cores)', valueName: 'n' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run(values, positionals, io) {
    const task = positionals[0];
    if (!task) throw new UsageError(`expected a task: ${TASK_NAMES.join(', ')}`);
    if (!TASK_NAMES.includes(task)) throw new UsageError(`task: expected one of ${TASK_NAMES.join(', ')}, got '${task}'`);
    const opt = (k: string) => (values[k] === undefined ? undefined : int(values, k, 0, { min: 1 }));
    const engine = engineArg(values);
    const o: FineTuneCliOptions = {
      task,
      out: str(values, 'out', `finetune-${task.replace(':', '-')}`),
      model: str(values, 'model') ?? null,
      shape: modelShapeFrom(values),
      vocab: str(values, 'vocab') ?? null,
      train: str(values, 'train'),
      dev: str(values, 'dev'),
      lrs: lrList(values),
      batchSize: int(values, 'batch-size', 32, { min: 1 }),
      epochs: opt('epochs') ?? null,
      maxSteps: opt('max-steps') ?? null,
      maxSeqLength: opt('max-seq-length'),
      maxTrain: opt('max-train'),
      maxDev: opt('max-dev'),
      seed: int(values, 'seed', 42),
      resume: flag(values, 'resume'),
      checkpointEvery: int(values, 'checkpoint-every', 0, { min: 0 }),
      tagset: values.tagset === undefined ? undefined : choice(values, 'tagset', ['universal', 'simplified', 'raw'] as const, 'universal'),
      backend: (await initBackendArg(values, io)).backend,
      ...engine,
    };
    const r = await runFineTuneCli(o, io);
    if (flag(values, 'json')) {
      io.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    const fmt = (s: Record<string, number> | null) => (s ? Object.entries(s).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') : 'n/a');
    io.stdout.write(`${task}: best lr ${r.best.lr}: ${fmt(r.best.scores)}\nbaseline (majority / most frequent): ${fmt(r.baseline)}\nmodel: ${r.best.dir}\n`);
    return 0;
  },
};
