// `bert <command> [options]`: the command table, help and error handling. Commands are thin: they parse
// arguments, wire packages together and show progress; the logic lives in the packages.
import { parseArgs } from 'node:util';
import { UsageError, type Command, type Io } from './command.js';
import { commands } from './commands/index.js';

export function helpText(cmds: readonly Command[] = commands): string {
  const width = Math.max(...cmds.map((c) => c.name.length));
  return [
    'bert — BERT end to end in TypeScript (bertkit)',
    '',
    'Usage: bert <command> [options]      bert <command> --help',
    '',
    'Commands:',
    ...cmds.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

export function commandHelp(cmd: Command): string {
  const rows = Object.entries(cmd.options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
    return [left, o.description + (o.default !== undefined ? ` (default: ${String(o.default)})` : '')] as const;
  });
  rows.push(['    --help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length));
  return [`Usage: bert ${cmd.name} ${cmd.usage}`, '', cmd.summary, '', 'Options:', ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`), ''].join('\n');
}

/** Levenshtein distance (insert, delete, substitute), for "did you mean". */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The known name nearest to `name` (at most a third of its length away), or null. */
export function nearest(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/** Node's parseArgs message for an unknown option, in our words: the option, and the nearest known one. */
function withSuggestion(message: string, known: readonly string[]): string {
  const m = /Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (!m) return message;
  const near = nearest(m[2], known);
  return `unknown option '${m[1]}${m[2]}'${near ? `: did you mean --${near}?` : ''} (see --help)`;
}

/** Runs the CLI; returns the process exit code (0 ok, 1 failure, 2 usage error). */
export async function runCli(argv: string[], io: Io, cmds: readonly Command[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText(cmds));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write('bertkit 0.1.0\n');
    return 0;
  }
  const cmd = cmds.find((c) => c.name === name);
  if (!cmd) {
    const near = nearest(name, cmds.map((c) => c.name));
    io.stderr.write(`bert: unknown command '${name}'${near ? `: did you mean '${near}'?` : ''}\n\n${helpText(cmds)}`);
    return 2;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(commandHelp(cmd));
      return 0;
    }
    const options = Object.fromEntries(Object.entries(cmd.options).map(([k, { description: _d, valueName: _v, ...o }]) => [k, o]));
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(withSuggestion((e as Error).message, Object.keys(cmd.options)));
    }
    return await cmd.run(parsed.values as Record<string, string | boolean | string[] | boolean[] | undefined>, parsed.positionals, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`bert ${cmd.name}: ${e.message}\n\n${commandHelp(cmd)}`);
      return 2;
    }
    const err = e as Error;
    io.stderr.write(`bert ${cmd.name}: ${err.name && err.name !== 'Error' ? err.name + ': ' : ''}${err.message}\n`);
    if (process.env.BERTKIT_DEBUG) io.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
