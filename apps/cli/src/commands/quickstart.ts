// `bert quickstart`: the root README's main job — no download: vocabulary from the Brown corpus, a few minutes of
// pre-training on this machine (the unigram plateau), masked words filled by the untrained, the few-minute and the
// shipped model, held-out cloze accuracy, and fine-tuning from the shipped weights vs random initialisation.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { warmupSteps } from '@bertkit/training';
import { BACKEND_OPTIONS, initBackendArg } from '../backend-arg.js';
import { choice, int, num, str } from '../args.js';
import { RECIPES, RECIPE_NAMES } from '@bertkit/pretraining';
import { findGlueDir, findShippedModel } from '../shipped-model.js';
import { UsageError, type Command } from '../command.js';
import { existsSync } from 'node:fs';
import { runQuickstart } from '../quickstart.js';
import { importOnnxRuntime } from '@bertkit/onnx/node';
import { modelShapeFrom } from './pretrain.js';

/**
 * Sentences in the Brown corpus' register (lowercased vocabulary), each with one [MASK]: three function-word slots
 * (what a few minutes of training learns first) and two content words (what it does not know yet).
 */
export const QUICKSTART_SENTENCES = [
  'he went [MASK] the store .',
  'she was one [MASK] the best players in the state .',
  'it was cold [MASK] dark outside .',
  'the president of the united [MASK] spoke today .',
  'they [MASK] to the church on sunday .',
];

/** ORT when it loads and the backend runs on the CPU anyway (wasm, cpu); on a GPU backend, tfjs keeps the GPU. */
async function defaultFineTuneEngine(backend: string): Promise<'tfjs' | 'ort'> {
  if (backend !== 'wasm' && backend !== 'cpu') return 'tfjs';
  return importOnnxRuntime().then(() => 'ort' as const, () => 'tfjs' as const);
}

/** `--shipped <dir>` (must hold config.json), `--shipped none` (skip), or models/english of the repository. */
function shippedArg(given: string | undefined): string | null {
  if (given === 'none') return null;
  if (given === undefined) return findShippedModel();
  if (!existsSync(join(given, 'config.json'))) throw new UsageError(`--shipped ${given}: expected a model directory with config.json, found none`);
  return given;
}

export const quickstartCommand: Command = {
  name: 'quickstart',
  summary: 'No download: pre-train a small BERT for minutes, then compare it with the shipped English model (fill-mask, cloze, POS, SST-2)',
  usage: '[--steps N] [--out <dir>] [--corpus brown|<file|dir>] [--shipped <dir>] [--glue <dir>] ...',
  options: {
    out: { type: 'string', description: 'output directory (default: <tmp>/bertkit-quickstart)', valueName: 'dir' },
    corpus: { type: 'string', description: "corpus (default: brown, the embedded Brown corpus)", valueName: 'path' },
    steps: { type: 'string', description: 'pre-training steps (default: 150)', valueName: 'n' },
    recipe: { type: 'string', description: `pre-training recipe: ${RECIPE_NAMES.join(' | ')} (default: small-compute, the shipped model's)`, valueName: 'name' },
    shipped: { type: 'string', description: 'the shipped model directory, or none to skip its stages (default: models/english of the repository)', valueName: 'dir' },
    glue: { type: 'string', description: 'a GLUE directory with SST-2/ (default: $BERTKIT_GLUE, else ../shared/data/glue; skipped when absent)', valueName: 'dir' },
    'cloze-items': { type: 'string', description: 'held-out cloze items to score (default: 300)', valueName: 'n' },
    'finetune-sentences': { type: 'string', description: 'fine-tuning data: the first n training sentences, for the shipped and the random model alike (default: 1920; few labels are where pre-training pays most)', valueName: 'n' },
    'finetune-epochs': { type: 'string', description: 'passes over those sentences, in steps of 32 (default: 6)', valueName: 'n' },
    'finetune-engine': { type: 'string', description: 'tfjs | ort: the fine-tuning steps on ONNX Runtime (default: ort when onnxruntime-node loads and the backend is a CPU one, else tfjs)', valueName: 'name' },
    'finetune-lr': { type: 'string', description: 'fine-tuning peak learning rate (default: 2e-3)', valueName: 'x' },
    'vocab-size': { type: 'string', description: 'WordPiece vocabulary size (default: 8000)', valueName: 'n' },
    'batch-size': { type: 'string', description: 'sequences per step (default: 32)', valueName: 'n' },
    'max-seq-length': { type: 'string', description: 'tokens per sequence (default: 64)', valueName: 'n' },
    preset: { type: 'string', description: 'model size (default: tiny: 2 layers × 128)', valueName: 'name' },
    layers: { type: 'string', description: 'override the number of layers', valueName: 'n' },
    hidden: { type: 'string', description: 'override the hidden size', valueName: 'n' },
    heads: { type: 'string', description: 'override the attention heads', valueName: 'n' },
    intermediate: { type: 'string', description: 'override the feed-forward size', valueName: 'n' },
    lr: { type: 'string', description: "peak learning rate (default: the recipe's)", valueName: 'x' },
    seed: { type: 'string', description: 'seed (default: 12345)', valueName: 'n' },
    ...BACKEND_OPTIONS,
  },
  async run(values, _positionals, io) {
    const steps = int(values, 'steps', 150, { min: 1 });
    const recipe = RECIPES[choice(values, 'recipe', RECIPE_NAMES, 'small-compute')];
    const engineGiven = values['finetune-engine'] === undefined ? null : choice(values, 'finetune-engine', ['tfjs', 'ort'] as const, 'ort');
    const { backend } = await initBackendArg(values, io);
    const fineTuneEngine = engineGiven ?? (await defaultFineTuneEngine(backend));
    io.stderr.write(`fine-tuning engine: ${fineTuneEngine === 'ort' ? 'ort (onnxruntime-node, the CPU)' : `tfjs (${backend})`}${engineGiven ? '' : ' (default)'}\n`);
    await runQuickstart(
      {
        out: str(values, 'out', join(tmpdir(), 'bertkit-quickstart')),
        corpus: str(values, 'corpus', 'brown'),
        vocabSize: int(values, 'vocab-size', 8000, { min: 6 }),
        model: modelShapeFrom(values, recipe),
        steps,
        batchSize: int(values, 'batch-size', 32, { min: 1 }),
        maxSeqLength: int(values, 'max-seq-length', 64, { min: 8 }),
        recipe,
        lr: num(values, 'lr', recipe.lr, { min: 0 }),
        warmup: Math.max(1, warmupSteps(steps, recipe.warmupProportion)),
        shipped: shippedArg(str(values, 'shipped')),
        glueDir: str(values, 'glue') ?? findGlueDir(),
        clozeItems: int(values, 'cloze-items', 300, { min: 1 }),
        fineTuneSentences: int(values, 'finetune-sentences', 1920, { min: 1 }),
        fineTuneEpochs: int(values, 'finetune-epochs', 6, { min: 1 }),
        fineTuneEngine,
        fineTuneLr: num(values, 'finetune-lr', 2e-3, { min: 0 }),
        seed: int(values, 'seed', 12345, { min: 0 }),
        backend,
        sentences: QUICKSTART_SENTENCES,
      },
      io,
    );
    return 0;
  },
};
