// The command table, in the order `bert --help` lists them.
import type { Command } from '../command.js';
import { tokenizeCommand } from './tokenize.js';
import { vocabCommand } from './vocab.js';
import { pretrainDataCommand } from './pretrain-data.js';
import { evalCommand } from './eval.js';
import { pretrainCommand } from './pretrain.js';
import { fillMaskCommand } from './fill-mask.js';
import { quickstartCommand } from './quickstart.js';
import { finetuneCommand } from './finetune.js';
import { predictCommand } from './predict.js';
import { featuresCommand } from './features.js';
import { serveCommand } from './serve.js';
import { exportCommand } from './export.js';
import { benchCommand } from './bench.js';
import { chartCommand } from './chart.js';

export const commands: readonly Command[] = [quickstartCommand, tokenizeCommand, vocabCommand, pretrainDataCommand, pretrainCommand, fillMaskCommand, finetuneCommand, predictCommand, evalCommand, serveCommand, exportCommand, benchCommand, chartCommand, featuresCommand];
