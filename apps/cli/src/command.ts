// The shape every `bert <command>` module has. The CLI keeps its command table in cli.ts (a registry lives in the
// app, never in a library, so libraries stay tree-shakable).
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage line(s) after `bert <name>`. */
  usage: string;
  options: Record<string, OptionSpec>;
  /** Runs the command; returns the exit code. Throws UsageError for bad arguments. */
  run(values: Record<string, string | boolean | string[] | boolean[] | undefined>, positionals: string[], io: Io): Promise<number>;
}

/** Bad command-line input: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
