// The command table, in the order `bert --help` lists them.
import type { Command } from '../command.js';
import { tokenizeCommand } from './tokenize.js';
import { vocabCommand } from './vocab.js';
import { pretrainDataCommand } from './pretrain-data.js';
import { evalCommand } from './eval.js';
import { pretrainCommand } from './pretrain.js';

export const commands: readonly Command[] = [tokenizeCommand, vocabCommand, pretrainDataCommand, pretrainCommand, evalCommand];
