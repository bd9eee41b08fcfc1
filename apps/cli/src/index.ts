export { runCli, helpText, commandHelp } from './cli.js';
export { UsageError, type Command, type Io, type OptionSpec } from './command.js';
export { ProgressBar, fmtTime } from './progress.js';
export { pretrainView, type PretrainView } from './pretrain-view.js';
export { fillMaskJson, formatFillMask } from './fill-mask-format.js';
export { runQuickstart, quickstartStages, type QuickstartContext, type QuickstartOptions, type Stage } from './quickstart.js';
export { lossChartSvg, lossChartHtml, chartPointsFromJsonl, sparkline, type ChartPoint } from './loss-chart.js';
