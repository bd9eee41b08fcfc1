// `--engine tfjs|ort` and `--threads` of the commands that run a model for predictions: tfjs (default; the
// backend of --backend) or ONNX Runtime (onnxruntime-node, an optional package) on the loaded checkpoint's graph,
// built in memory by @bertkit/onnx. One stderr line says which.
import { createOrtBert, type OrtBert, type OrtBertSource } from '@bertkit/onnx/node';
import { choice, int, str } from './args.js';
import { UsageError, type Io, type OptionSpec } from './command.js';

type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export const ENGINE_OPTIONS: Record<string, OptionSpec> = {
  engine: { type: 'string', description: 'tfjs (default) | ort: forward passes in ONNX Runtime (needs onnxruntime-node; CPU)', valueName: 'name' },
  threads: { type: 'string', description: 'ORT threads per forward pass (default ORT\'s: the physical cores); with --engine ort', valueName: 'n' },
};

export interface EngineArg {
  engine: 'tfjs' | 'ort';
  threads?: number;
}

/** `--engine` and `--threads`, checked before anything is loaded. */
export function engineArg(values: Values): EngineArg {
  const engine = choice(values, 'engine', ['tfjs', 'ort'] as const, 'tfjs');
  if (str(values, 'threads') === undefined) return { engine };
  if (engine !== 'ort') throw new UsageError("--threads: expected --engine ort (ORT's threads), got --engine tfjs");
  return { engine, threads: int(values, 'threads', 1, { min: 1 }) };
}

/** With `--engine ort`: the ORT session of the loaded model (the caller disposes it); else null (tfjs). */
export async function openEngine({ engine, threads }: EngineArg, loaded: OrtBertSource, io: Io): Promise<OrtBert | null> {
  if (engine === 'tfjs') return null;
  const ort = await createOrtBert(loaded, threads === undefined ? {} : { threads });
  io.stderr.write(`engine: ort (onnxruntime-node, ${threads ?? 'default'} threads, head ${ort.head})\n`);
  return ort;
}
