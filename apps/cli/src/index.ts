export { runCli, helpText, commandHelp } from './cli.js';
export { UsageError, type Command, type Io, type OptionSpec } from './command.js';
export { ProgressBar, fmtTime } from './progress.js';
