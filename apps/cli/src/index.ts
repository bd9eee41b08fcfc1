export { runCli, helpText, commandHelp } from './cli.js';
export { UsageError, type Command, type Io, type OptionSpec } from './command.js';
export { ProgressBar, fmtTime } from './progress.js';
export { runPretraining, modelConfig, PretrainConfigError, type PretrainRunOptions, type PretrainRunResult, type ModelShape } from './pretrain-run.js';
export { fillMask, formatFillMask, FillMaskError, type FillMaskResult, type MaskCandidate } from './fill-mask.js';
export { runQuickstart, quickstartStages, type QuickstartContext, type QuickstartOptions, type Stage } from './quickstart.js';
export { lossChartSvg, lossChartHtml, chartPointsFromJsonl, sparkline, type ChartPoint } from './loss-chart.js';
