// `bert bench`: the command every speed figure comes from (@bertkit/bench's runBench): median ms per step, tokens/s,
// the backend and adapter, tfjs kernels per step, and on WebGPU the dispatches and read-backs per step.
import { BACKEND_NAMES, type BackendName } from '@bertkit/backend';
import { BENCH_TASKS, benchJsonLine, formatBench, runBench, type BenchTask } from '@bertkit/bench';
import type { PresetName } from '@bertkit/encoder';
import { choice, flag, int, str } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { PRESET_NAMES } from './pretrain.js';
import { BACKEND_OPTIONS, wasmThreadsArg } from '../backend-arg.js';
import { engineArg } from '../engine-arg.js';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Time forward, pre-training or fine-tuning steps (median ms/step, tokens/s, kernels and GPU dispatches per step)',
  usage: '(--preset tiny|mini|small|medium|base|large | --model <dir>) --task forward|train|finetune --batch B --seq T [--steps N] [--backend X | --engine ort [--threads n]] [--checkpoint-layers] [--json]',
  options: {
    preset: { type: 'string', description: `${PRESET_NAMES.join(' | ')}`, valueName: 'name' },
    model: { type: 'string', description: "a model directory (its config.json; weights are random)", valueName: 'dir' },
    task: { type: 'string', description: 'forward (encoder, awaited read) | train (MLM + NSP + AdamW, 15 % predicted) | finetune (sequence classification)', valueName: 'task' },
    batch: { type: 'string', description: 'sequences per step (default 8)', valueName: 'B' },
    seq: { type: 'string', description: 'tokens per sequence (default 128)', valueName: 'T' },
    steps: { type: 'string', description: 'timed steps; the median is reported (default 5)', valueName: 'n' },
    warmup: { type: 'string', description: 'untimed steps first (default 1)', valueName: 'n' },
    backend: { type: 'string', description: `${BACKEND_NAMES.join(' | ')} (default: the library's default)`, valueName: 'name' },
    'wasm-threads': BACKEND_OPTIONS['wasm-threads'],
    engine: { type: 'string', description: 'tfjs (default: the --backend runs the steps) | ort: ONNX Runtime\'s CPU kernels (needs onnxruntime-node)', valueName: 'name' },
    threads: { type: 'string', description: 'with --engine ort: ORT threads per operator (default: the physical cores)', valueName: 'n' },
    'checkpoint-layers': { type: 'boolean', description: 'train: activation checkpointing (each layer recomputed in the backward pass; less memory)' },
    json: { type: 'boolean', description: 'print one JSON line (ms_per_step_median, tokens_per_s, backend, preset, task, batch, seq, steps, ...)' },
  },
  async run(values, _positionals, io) {
    const wasmThreads = wasmThreadsArg(values);
    const { engine, threads } = engineArg(values);
    const preset = str(values, 'preset');
    const modelDir = str(values, 'model');
    if ((preset === undefined) === (modelDir === undefined)) throw new UsageError('give exactly one of --preset <name> and --model <dir>');
    const r = await runBench({
      ...(preset !== undefined ? { preset: choice<PresetName>(values, 'preset', PRESET_NAMES, 'tiny') } : { modelDir }),
      task: choice<BenchTask>(values, 'task', BENCH_TASKS, 'forward'),
      batch: int(values, 'batch', 8, { min: 1 }),
      seq: int(values, 'seq', 128, { min: 2 }),
      steps: int(values, 'steps', 5, { min: 1 }),
      warmup: int(values, 'warmup', 1, { min: 0 }),
      ...(values.backend !== undefined ? { backend: choice<BackendName>(values, 'backend', BACKEND_NAMES, 'cpu') } : {}),
      checkpointLayers: flag(values, 'checkpoint-layers'),
      ...(wasmThreads !== undefined ? { wasmThreads } : {}),
      engine,
      ...(threads !== undefined ? { threads } : {}),
    });
    io.stdout.write(flag(values, 'json') ? `${benchJsonLine(r)}\n` : `${formatBench(r)}\n`);
    return 0;
  },
};
