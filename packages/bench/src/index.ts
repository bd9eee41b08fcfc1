// @bertkit/bench: the engine of `bert bench` (runBench), its human and JSON-line outputs. The PyTorch peer that
// times the same steps lives in peer/pytorch_peer.py.
export { BENCH_TASKS, BenchOptionsError, predictionsPerRow, resolveBenchOptions, type BenchEngine, type BenchOptions, type BenchTask, type ResolvedBenchOptions } from './options.js';
export { runBench, type BenchResult } from './run-bench.js';
export { benchJsonLine, formatBench } from './format.js';
export { countGpuWork, countKernels, type Counter, type GpuCounts } from './counters.js';
export { median } from './step-clock.js';
