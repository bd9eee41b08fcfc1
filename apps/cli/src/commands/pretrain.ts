// `bert pretrain`: pre-trains BERT (MLM + NSP, MLM only, ...) from a corpus or from `bert pretrain-data` shards,
// from scratch with a preset or continuing an HF checkpoint (`--init`), resumable (`--resume`). Writes
// metrics.jsonl, loss.html / loss.svg, checkpoints/ and the final model as an HF directory in --out.
import type { PresetName } from '@bertkit/encoder';
import { DEFAULT_DATA_OPTIONS, POSITION_INITS, RECIPES, RECIPE_NAMES, type PretrainRecipe } from '@bertkit/pretraining';
import { corpusReadOptions } from './vocab.js';
import { warmupSteps } from '@bertkit/training';
import { choice, flag, int, num, required, str } from '../args.js';
import { UsageError, type Command, type OptionSpec } from '../command.js';
import { fmtTime } from '../progress.js';
import { runPretraining, type ModelShape } from '@bertkit/pretraining/node';
import { BACKEND_OPTIONS, initBackendArg } from '../backend-arg.js';
import { engineArg } from '../engine-arg.js';
import { pretrainView } from '../pretrain-view.js';
import { tokenizerFromArg } from '../tokenizer-arg.js';
import { OBJECTIVE_CHOICES, parseMaskRatios } from './pretrain-data.js';

export const PRESET_NAMES: readonly PresetName[] = ['tiny', 'mini', 'small', 'medium', 'base', 'large'];

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** `--layers --hidden --heads --intermediate` on top of `--preset`. */
export function modelShapeFrom(values: Values, recipe?: PretrainRecipe): ModelShape {
  const opt = (k: string) => (values[k] === undefined ? undefined : int(values, k, 0, { min: 1 }));
  const prob = (k: string) => (values[k] === undefined ? undefined : num(values, k, 0, { min: 0, max: 0.99 }));
  return {
    preset: choice(values, 'preset', PRESET_NAMES, 'tiny'),
    layers: opt('layers'),
    hidden: opt('hidden'),
    heads: opt('heads'),
    intermediate: opt('intermediate'),
    dropout: prob('dropout') ?? recipe?.dropout,
    attentionDropout: prob('attention-dropout') ?? prob('dropout') ?? recipe?.attentionDropout,
  };
}

/** `--adam-betas 0.9,0.98 --adam-eps 1e-6 --weight-decay 0.01` (each optional). */
export function optimizerFrom(values: Values, recipe?: PretrainRecipe): { beta1?: number; beta2?: number; eps?: number; weightDecay?: number } {
  const out: { beta1?: number; beta2?: number; eps?: number; weightDecay?: number } = recipe
    ? { beta1: recipe.beta1, beta2: recipe.beta2, eps: recipe.eps, weightDecay: recipe.weightDecay }
    : {};
  const betas = str(values, 'adam-betas');
  if (betas !== undefined) {
    const parts = betas.split(',').map(Number);
    if (parts.length !== 2 || parts.some((b) => !(b >= 0 && b < 1))) throw new UsageError(`--adam-betas: expected two numbers in [0, 1) like 0.9,0.98, got '${betas}'`);
    [out.beta1, out.beta2] = parts;
  }
  if (values['adam-eps'] !== undefined) out.eps = num(values, 'adam-eps', 1e-6, { min: 0 });
  if (values['weight-decay'] !== undefined) out.weightDecay = num(values, 'weight-decay', 0.01, { min: 0 });
  return out;
}

export const pretrainOptions: Record<string, OptionSpec> = {
  corpus: { type: 'string', description: "train on a corpus made into instances in memory: file, directory or 'brown'; several joined by commas", valueName: 'path' },
  'corpus-format': { type: 'string', description: '--corpus files: lines (one sentence per line, blank line between documents), paragraphs (blank-line paragraphs, a file per document) or wikitext (default: lines)', valueName: 'fmt' },
  gutenberg: { type: 'boolean', description: "--corpus files: drop each file's Project Gutenberg header and licence" },
  data: { type: 'string', description: 'or: a shards directory from bert pretrain-data', valueName: 'dir' },
  vocab: { type: 'string', description: 'vocab.txt or a tokenizer directory (default: --init dir)', valueName: 'path' },
  out: { type: 'string', description: 'output directory (metrics.jsonl, loss.html, checkpoints/, final HF model)', valueName: 'dir' },
  preset: { type: 'string', description: 'model size: tiny, mini, small, medium, base, large (default: tiny)', valueName: 'name' },
  layers: { type: 'string', description: 'override the number of layers', valueName: 'n' },
  hidden: { type: 'string', description: 'override the hidden size (intermediate becomes 4×)', valueName: 'n' },
  heads: { type: 'string', description: 'override the attention heads', valueName: 'n' },
  intermediate: { type: 'string', description: 'override the feed-forward size', valueName: 'n' },
  init: { type: 'string', description: 'continue from an HF model directory (BertForPreTraining / BertForMaskedLM / BertModel)', valueName: 'dir' },
  'init-layers': { type: 'string', description: 'with --init: stack its layers to this many (layer i = its layer i mod L; progressive stacking, docs/pretraining.md)', valueName: 'n' },
  recipe: { type: 'string', description: `defaults for the objective, optimizer, schedule, dropout, clipping, position init and masking: ${RECIPE_NAMES.join(' | ')} (default: bert, the paper's; small-compute: docs/pretraining.md)`, valueName: 'name' },
  objective: { type: 'string', description: "mlm+nsp (BERT) | mlm (No NSP) | ltr (left-to-right LM, causal attention, no NSP) (default: the recipe's; bert: mlm+nsp)", valueName: 'name' },
  steps: { type: 'string', description: 'optimizer steps (default: 1000)', valueName: 'n' },
  'batch-size': { type: 'string', description: 'sequences per step (default: 32)', valueName: 'n' },
  'max-seq-length': { type: 'string', description: 'tokens per sequence (default: 128; shards: as generated)', valueName: 'n' },
  lr: { type: 'string', description: "peak learning rate (default: the recipe's; bert 1e-4, small-compute 2e-3)", valueName: 'x' },
  warmup: { type: 'string', description: "linear warmup steps, then linear decay to 0 (default: the recipe's share of --steps; bert 10 %)", valueName: 'n' },
  'adam-betas': { type: 'string', description: "AdamW's beta1,beta2 (default: the recipe's; bert 0.9,0.999)", valueName: 'b1,b2' },
  'adam-eps': { type: 'string', description: "AdamW's epsilon (default: 1e-6)", valueName: 'x' },
  'weight-decay': { type: 'string', description: 'decoupled weight decay, not on biases and LayerNorm (default: 0.01)', valueName: 'x' },
  clip: { type: 'string', description: "global gradient-norm clipping; 0 turns it off (default: the recipe's; bert 1.0)", valueName: 'x' },
  dropout: { type: 'string', description: "hidden dropout, and attention dropout unless --attention-dropout (default: the recipe's; bert 0.1)", valueName: 'p' },
  'attention-dropout': { type: 'string', description: "attention-probability dropout (default: --dropout, else the recipe's)", valueName: 'p' },
  'position-init': { type: 'string', description: `from scratch: ${POSITION_INITS.join(' | ')} position embeddings (default: the recipe's; bert normal)`, valueName: 'name' },
  seed: { type: 'string', description: 'seed of the init, the data and dropout (default: 12345)', valueName: 'n' },
  resume: { type: 'boolean', description: 'continue from the newest checkpoint in --out/checkpoints, exactly' },
  'checkpoint-layers': { type: 'boolean', description: 'activation checkpointing: recompute each layer in the backward pass (less memory, ~1/3 more compute)' },
  ...BACKEND_OPTIONS,
  engine: { type: 'string', description: 'tfjs (default: the --backend runs the steps) | ort: ONNX Runtime\'s CPU kernels, several times faster on a CPU (needs onnxruntime-node; objectives mlm, mlm+nsp)', valueName: 'name' },
  threads: { type: 'string', description: 'with --engine ort: ORT threads per operator (default: the physical cores)', valueName: 'n' },
  'checkpoint-every': { type: 'string', description: 'write a checkpoint every N steps (default: 0 = only at the end)', valueName: 'n' },
  'log-every': { type: 'string', description: 'write a metrics line every N steps (default: 1)', valueName: 'n' },
  'dupe-factor': { type: 'string', description: `--corpus: passes over the corpus with different masks (default: ${DEFAULT_DATA_OPTIONS.dupeFactor})`, valueName: 'n' },
  'masked-lm-prob': { type: 'string', description: `--corpus: share of tokens to predict (default: the recipe's; bert ${DEFAULT_DATA_OPTIONS.maskedLmProb})`, valueName: 'p' },
  'max-predictions': { type: 'string', description: '--corpus: max predictions per sequence (default: min(20, max-seq-length))', valueName: 'n' },
  'whole-word-mask': { type: 'boolean', description: '--corpus: mask all pieces of a word together' },
  'mask-ratios': { type: 'string', description: '--corpus: [MASK], random, unchanged shares (default: 0.8,0.1,0.1)', valueName: 'm,r,k' },
};

export const pretrainCommand: Command = {
  name: 'pretrain',
  summary: 'Pre-train BERT (MLM + NSP) from a corpus or shards; metrics, loss chart, checkpoints, resume',
  usage: '(--corpus <file|dir|brown> | --data <shards>) --vocab <vocab.txt|dir> --out <dir> [--preset tiny] [--steps N] [--resume] ...',
  options: pretrainOptions,
  async run(values, _positionals, io) {
    const corpus = str(values, 'corpus');
    const data = str(values, 'data');
    if (!corpus === !data) throw new UsageError('give exactly one of --corpus <file|dir|brown> and --data <shards dir>');
    const init = str(values, 'init');
    const vocabArg = str(values, 'vocab') ?? init;
    if (!vocabArg) throw new UsageError('--vocab is required (or --init <dir> with a vocab.txt)');
    const { tokenizer, vocabFile } = await tokenizerFromArg('vocab', vocabArg);
    const steps = int(values, 'steps', 1000, { min: 1 });
    const maxSeqLength = int(values, 'max-seq-length', 128, { min: 5 });
    const recipe: PretrainRecipe = RECIPES[choice(values, 'recipe', RECIPE_NAMES, 'bert')];
    const objective = choice(values, 'objective', OBJECTIVE_CHOICES, recipe.objective);
    const engine = engineArg(values);
    const controller = new AbortController();
    const onSigint = () => {
      io.stderr.write('\npretrain: interrupted — finishing the step and writing a checkpoint (Ctrl-C again to quit at once)\n');
      controller.abort();
      process.once('SIGINT', () => process.exit(130));
    };
    process.once('SIGINT', onSigint);
    try {
      await initBackendArg(values, io);
      const out = required(values, 'out');
      const view = pretrainView(out, io);
      const r = await runPretraining(
        {
          out,
          tokenizer,
          vocabFile,
          corpus,
          data,
          model: modelShapeFrom(values, recipe),
          init,
          ...(values['init-layers'] !== undefined ? { initLayers: int(values, 'init-layers', 0, { min: 1 }) } : {}),
          objective,
          steps,
          batchSize: int(values, 'batch-size', 32, { min: 1 }),
          maxSeqLength,
          lr: num(values, 'lr', recipe.lr, { min: 0 }),
          warmup: int(values, 'warmup', warmupSteps(steps, recipe.warmupProportion), { min: 0 }),
          seed: int(values, 'seed', 12345, { min: 0 }),
          resume: flag(values, 'resume'),
          checkpointEvery: int(values, 'checkpoint-every', 0, { min: 0 }),
          logEvery: int(values, 'log-every', 1, { min: 1 }),
          optimizer: optimizerFrom(values, recipe),
          clipNorm: values.clip !== undefined ? num(values, 'clip', 1, { min: 0 }) || null : recipe.clipNorm,
          positionInit: choice(values, 'position-init', POSITION_INITS, recipe.positionInit),
          checkpointLayers: flag(values, 'checkpoint-layers'),
          ...engine,
          corpusOptions: corpusReadOptions(values, 'lines'),
          dataOptions: {
            dupeFactor: int(values, 'dupe-factor', DEFAULT_DATA_OPTIONS.dupeFactor, { min: 1 }),
            maskedLmProb: num(values, 'masked-lm-prob', recipe.maskedLmProb, { min: 0, max: 1 }),
            maxPredictionsPerSeq: int(values, 'max-predictions', Math.min(DEFAULT_DATA_OPTIONS.maxPredictionsPerSeq, maxSeqLength), { min: 1, max: maxSeqLength }),
            wholeWordMask: flag(values, 'whole-word-mask'),
            ...parseMaskRatios(str(values, 'mask-ratios')),
          },
          signal: controller.signal,
          onEvent: view.onEvent,
        },
      );
      const { chartPath } = view.finish(r);
      io.stdout.write(
        `pretrain: steps ${r.startStep} → ${r.step} in ${fmtTime(r.elapsedSec)} on ${r.engine === 'ort' ? 'ort' : r.backend}` +
          (r.firstMlmLoss !== undefined ? `, MLM loss ${r.firstMlmLoss.toFixed(3)} → ${r.lastMlmLoss!.toFixed(3)}` : '') +
          `\n  model:   ${required(values, 'out')} (config.json, model.safetensors, vocab.txt)\n  metrics: ${r.metricsPath}\n  chart:   ${chartPath}\n`,
      );
      return controller.signal.aborted ? 130 : 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  },
};
