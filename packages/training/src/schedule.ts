// Learning-rate schedules. A schedule maps the number of optimizer steps already taken (0 for the first update)
// to that update's learning rate, the same indexing as a torch LambdaLR stepped after each optimizer.step().
import { TrainingConfigError } from './errors.js';

export type Schedule = (step: number) => number;

export interface LinearScheduleConfig {
  /** Peak learning rate, reached at the end of warmup (BERT: 1e-4 pre-training, 2e-5..5e-5 fine-tuning). */
  peakLr: number;
  /** Linear warmup steps (BERT pre-training: 10 000). */
  warmupSteps: number;
  /** Total optimizer steps; the rate reaches 0 there. */
  totalSteps: number;
  /**
   * `hf` (default): transformers' get_linear_schedule_with_warmup — `lr * t / warmup` during warmup, then
   * `lr * (total - t) / (total - warmup)`, so decay starts from the peak at the end of warmup.
   * `bert`: google-research/bert optimization.py — `polynomial_decay(lr, t, total, end=0, power=1)` =
   * `lr * (1 - t / total)` from step 0, replaced by `lr * t / warmup` while `t < warmup`, so the rate drops
   * from `lr * (1 - warmup / total)` right after warmup.
   */
  style?: 'hf' | 'bert';
}

function check(field: string, x: number, ok: boolean): void {
  if (!ok) throw new TrainingConfigError(`schedule ${field}: expected ${fieldRule[field]}, got ${x}`);
}
const fieldRule: Record<string, string> = {
  peakLr: 'a finite number > 0',
  warmupSteps: 'an integer >= 0',
  totalSteps: 'an integer >= 1 and >= warmupSteps',
  lr: 'a finite number >= 0',
  warmupProportion: 'a number in [0, 1]',
};

/** Linear warmup then linear decay to 0 (see `style`). Steps past `totalSteps` get 0. */
export function linearWarmupDecay(config: LinearScheduleConfig): Schedule {
  const { peakLr, warmupSteps, totalSteps } = config;
  const style = config.style ?? 'hf';
  check('peakLr', peakLr, Number.isFinite(peakLr) && peakLr > 0);
  check('warmupSteps', warmupSteps, Number.isInteger(warmupSteps) && warmupSteps >= 0);
  check('totalSteps', totalSteps, Number.isInteger(totalSteps) && totalSteps >= 1 && totalSteps >= warmupSteps);
  if (style !== 'hf' && style !== 'bert') {
    throw new TrainingConfigError(`schedule style: expected "hf" or "bert", got ${JSON.stringify(style)}`);
  }
  return (t: number) => {
    if (t < warmupSteps) return (peakLr * t) / Math.max(1, warmupSteps);
    if (style === 'hf') return peakLr * Math.max(0, (totalSteps - t) / Math.max(1, totalSteps - warmupSteps));
    return peakLr * Math.max(0, 1 - t / totalSteps);
  };
}

/** A constant rate, optionally after a linear warmup (HF get_constant_schedule_with_warmup). */
export function constantSchedule(lr: number, warmupSteps = 0): Schedule {
  check('lr', lr, Number.isFinite(lr) && lr >= 0);
  check('warmupSteps', warmupSteps, Number.isInteger(warmupSteps) && warmupSteps >= 0);
  return (t: number) => (t < warmupSteps ? (lr * t) / Math.max(1, warmupSteps) : lr);
}

/** Warm-up as a fraction of the run, BERT's formula (run_classifier.py: `int(num_train_steps * warmup_proportion)`). */
export const DEFAULT_WARMUP_PROPORTION = 0.1;

/** Warm-up steps of a run of `totalSteps` with warm-up over `proportion` of it: floor(total · proportion). */
export function warmupSteps(totalSteps: number, proportion: number = DEFAULT_WARMUP_PROPORTION): number {
  check('warmupProportion', proportion, Number.isFinite(proportion) && proportion >= 0 && proportion <= 1);
  return Math.floor(totalSteps * proportion);
}
