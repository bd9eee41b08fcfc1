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
    io.stderr.write(`bert: unknown command '${name}'\n\n${helpText(cmds)}`);
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
      throw new UsageError((e as Error).message);
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
