// Per-step measurements: wall time from one step boundary to the next, and the kernels / GPU work counted in
// between. Warm-up steps are measured too and dropped by the caller.
import { countGpuWork, countKernels, type Counter, type GpuCounts } from './counters.js';

export interface StepSample {
  ms: number;
  kernels: number;
  gpu: GpuCounts | null;
}

export class StepClock {
  readonly samples: StepSample[] = [];
  private t0 = 0;
  private readonly kernels: Counter<number>;
  private readonly gpu: Counter<GpuCounts> | null;

  constructor() {
    this.kernels = countKernels();
    this.gpu = countGpuWork();
  }

  /** Starts a step. */
  begin(): void {
    this.kernels.reset();
    this.gpu?.reset();
    this.t0 = performance.now();
  }

  /** Ends the current step (call after its results have been read). */
  end(): void {
    const ms = performance.now() - this.t0;
    this.samples.push({ ms, kernels: this.kernels.read(), gpu: this.gpu?.read() ?? null });
  }

  /** Restores everything the counters wrapped. */
  dispose(): void {
    this.kernels.uninstall();
    this.gpu?.uninstall();
  }
}

/** The median (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
