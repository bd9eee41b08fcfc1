// `bert quickstart`: the root README's main job — no download: vocabulary from the Brown corpus, a few minutes of
// pre-training on this machine, then the model filling in masked words (vs the untrained model).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { warmupSteps } from '@bertkit/training';
import { BACKEND_OPTIONS, initBackendArg } from '../backend-arg.js';
import { int, num, str } from '../args.js';
import type { Command } from '../command.js';
import { runQuickstart } from '../quickstart.js';
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

export const quickstartCommand: Command = {
  name: 'quickstart',
  summary: 'No download: Brown vocabulary → pre-train a small BERT for a few minutes → fill in masked words',
  usage: '[--steps N] [--out <dir>] [--corpus brown|<file|dir>] ...',
  options: {
    out: { type: 'string', description: 'output directory (default: <tmp>/bertkit-quickstart)', valueName: 'dir' },
    corpus: { type: 'string', description: "corpus (default: brown, the embedded Brown corpus)", valueName: 'path' },
    steps: { type: 'string', description: 'pre-training steps (default: 300)', valueName: 'n' },
    'vocab-size': { type: 'string', description: 'WordPiece vocabulary size (default: 8000)', valueName: 'n' },
    'batch-size': { type: 'string', description: 'sequences per step (default: 32)', valueName: 'n' },
    'max-seq-length': { type: 'string', description: 'tokens per sequence (default: 64)', valueName: 'n' },
    preset: { type: 'string', description: 'model size (default: tiny: 2 layers × 128)', valueName: 'name' },
    layers: { type: 'string', description: 'override the number of layers', valueName: 'n' },
    hidden: { type: 'string', description: 'override the hidden size', valueName: 'n' },
    heads: { type: 'string', description: 'override the attention heads', valueName: 'n' },
    intermediate: { type: 'string', description: 'override the feed-forward size', valueName: 'n' },
    lr: { type: 'string', description: 'peak learning rate (default: 2e-3, high because the run is short)', valueName: 'x' },
    seed: { type: 'string', description: 'seed (default: 12345)', valueName: 'n' },
    ...BACKEND_OPTIONS,
  },
  async run(values, _positionals, io) {
    const steps = int(values, 'steps', 300, { min: 1 });
    const { backend } = await initBackendArg(values, io);
    await runQuickstart(
      {
        out: str(values, 'out', join(tmpdir(), 'bertkit-quickstart')),
        corpus: str(values, 'corpus', 'brown'),
        vocabSize: int(values, 'vocab-size', 8000, { min: 6 }),
        model: modelShapeFrom(values),
        steps,
        batchSize: int(values, 'batch-size', 32, { min: 1 }),
        maxSeqLength: int(values, 'max-seq-length', 64, { min: 8 }),
        lr: num(values, 'lr', 2e-3, { min: 0 }),
        warmup: Math.max(1, warmupSteps(steps)),
        seed: int(values, 'seed', 12345, { min: 0 }),
        backend,
        sentences: QUICKSTART_SENTENCES,
      },
      io,
    );
    return 0;
  },
};
