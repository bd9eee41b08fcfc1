// Named pre-training recipes: the optimizer, schedule, regularisation and masking a run uses when the caller does
// not set them. `bert` is the paper's (Devlin et al. 2018, appendix A.2); `small-compute` is what got a small BERT
// off the unigram plateau fastest on a 2-core CPU (docs/pretraining.md has the sweep): the academic-budget recipe's
// optimizer (Izsak et al. 2021: lr 2e-3, betas 0.9/0.98, eps 1e-6, wd 0.01, 6 % warm-up, linear decay), Cramming's
// no dropout (Geiping & Goldstein 2022; clipping stays at BERT's 1.0), no NSP (Liu et al. 2019), and sinusoidal
// position-embedding init (position-init.ts).
import type { Objective } from './objectives.js';
import type { PositionInit } from './position-init.js';

export interface PretrainRecipe {
  objective: Objective;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Warm-up as a share of the steps (linear warm-up, then linear decay to 0). */
  warmupProportion: number;
  dropout: number;
  attentionDropout: number;
  /** Global gradient-norm clip; null: none. */
  clipNorm: number | null;
  positionInit: PositionInit;
  maskedLmProb: number;
}

export const RECIPES = {
  bert: { objective: 'mlm+nsp', lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-6, weightDecay: 0.01, warmupProportion: 0.1, dropout: 0.1, attentionDropout: 0.1, clipNorm: 1.0, positionInit: 'normal', maskedLmProb: 0.15 },
  'small-compute': { objective: 'mlm', lr: 2e-3, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01, warmupProportion: 0.06, dropout: 0, attentionDropout: 0, clipNorm: 1.0, positionInit: 'sinusoidal', maskedLmProb: 0.15 },
} as const satisfies Record<string, PretrainRecipe>;

export type RecipeName = keyof typeof RECIPES;
export const RECIPE_NAMES = Object.keys(RECIPES) as RecipeName[];
