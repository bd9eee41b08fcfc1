// The command table, in the order `bert --help` lists them.
import type { Command } from '../command.js';
import { tokenizeCommand } from './tokenize.js';

export const commands: readonly Command[] = [tokenizeCommand];
