// The pre-training objectives of the paper's ablation (Table 5, §5.1): `mlm+nsp` (BERT), `mlm` ("No NSP") and
// `ltr` (left-to-right LM, no NSP — OpenAI GPT's objective, which needs a causal attention mask).

import type { Objective } from './data-pipeline.js';

export type { Objective };

export const OBJECTIVES: readonly Objective[] = ['mlm+nsp', 'mlm', 'ltr'];

/** A bad objective / batch / checkpoint for pre-training; the message names the field, expected and actual. */
export class PretrainingModelError extends Error {
  override name = 'PretrainingModelError';
}

export function parseObjective(x: unknown): Objective {
  if (typeof x === 'string' && (OBJECTIVES as readonly string[]).includes(x)) return x as Objective;
  throw new PretrainingModelError(`objective: expected one of ${OBJECTIVES.join(', ')}, got ${JSON.stringify(x)}`);
}

/** Whether the objective trains the next-sentence head (and so needs the pooler). */
export function usesNsp(o: Objective): boolean {
  return o === 'mlm+nsp';
}

/** Whether the objective needs causal (left-to-right) self-attention. */
export function isCausal(o: Objective): boolean {
  return o === 'ltr';
}
