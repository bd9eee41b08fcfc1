// What every route handler shares: the loaded models, the options, the batcher and the metrics, plus the input
// checks common to all routes (model lookup, text length, token limit with truncate | reject).
import type { EncodedRow } from '@bertkit/heads';
import type { Encoding } from '@bertkit/tokenizer';
import type { Batcher } from './batcher.js';
import type { Engine } from './engine.js';
import { ApiError } from './errors.js';
import type { Limits } from './inference.js';
import type { Metrics } from './metrics.js';
import type { Operation, ServedModel } from './model-registry.js';
import type { ResolvedOptions } from './options.js';

export interface Ctx {
  options: ResolvedOptions;
  models: Map<string, ServedModel>;
  batcher: Batcher;
  engine: Engine;
  metrics: Metrics;
  limits: Limits;
}

/** The named model (default: the only one, or the first that serves `op`), checked to serve `op`. */
export function pickModel(ctx: Ctx, name: string | undefined, op: Operation): ServedModel {
  if (name === undefined) {
    const all = [...ctx.models.values()];
    const m = all.find((x) => x.operations.includes(op));
    if (!m) throw new ApiError(400, 'unsupported_operation', `no loaded model serves ${op} (models: ${all.map((x) => `${x.name} [${x.operations.join(', ')}]`).join('; ')})`, 'model');
    return m;
  }
  const m = ctx.models.get(name);
  if (!m) throw new ApiError(404, 'model_not_found', `model ${JSON.stringify(name)} is not loaded; expected one of ${[...ctx.models.keys()].join(', ')}`, 'model');
  if (!m.operations.includes(op)) {
    throw new ApiError(400, 'unsupported_operation', `model ${name} does not serve ${op}: its checkpoint serves ${m.operations.join(', ')}`, 'model');
  }
  return m;
}

export function asList(input: string | string[]): string[] {
  return typeof input === 'string' ? [input] : input;
}

/** Checks that a pair list matches the inputs. */
export function pairsFor(texts: string[], pair: string | string[] | undefined, field: string): (string | null)[] {
  if (pair === undefined) return texts.map(() => null);
  const list = asList(pair);
  if (list.length !== texts.length) throw new ApiError(400, 'invalid_request', `${field}: expected ${texts.length} entries (one per input), got ${list.length}`, field);
  return list;
}

/**
 * Tokenizes one sequence (or pair). Longer than the model's token limit: truncated ('longest_first', as HF) when
 * `truncate`, else a 400 `input_too_long` naming the field.
 */
export function encodeChecked(m: ServedModel, text: string, pair: string | null, field: string, truncate: boolean): Encoding {
  if (truncate) return m.tokenizer.encode(text, pair, { truncation: 'longest_first', maxLength: m.maxTokens });
  const enc = m.tokenizer.encode(text, pair);
  if (enc.ids.length > m.maxTokens) {
    throw new ApiError(400, 'input_too_long', `${field}: ${enc.ids.length} tokens, more than the model's limit of ${m.maxTokens} (send "truncate": true to cut it)`, field);
  }
  return enc;
}

export function rowOf(enc: Encoding): EncodedRow {
  return { inputIds: enc.ids, typeIds: enc.typeIds };
}

export function truncateOf(ctx: Ctx, requested: boolean | undefined): boolean {
  return requested ?? ctx.options.overflow === 'truncate';
}
