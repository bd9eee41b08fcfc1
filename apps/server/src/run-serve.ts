// Starts the server from command-line arguments and shuts it down gracefully on SIGINT / SIGTERM (in-flight
// requests are answered first). Shared by `bert serve` and the `bert-server` binary.
import { parseServeArgs } from './cli-args.js';
import { createServer } from './server.js';

export interface ServeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Resolves with the exit code once the server has closed (after a signal). */
export async function runServe(argv: string[], io: ServeIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { options, port, host } = parseServeArgs(argv, env);
  const server = await createServer(options);
  const url = await server.listen(port, host);
  for (const m of server.models.values()) io.stdout.write(`model ${m.name}: ${m.dir} [${m.operations.join(', ')}]\n`);
  io.stdout.write(`bert serve: listening on ${url} (backend ${server.backend}, batching ${server.options.batching ? 'on' : 'off'}); OpenAPI at ${url}/openapi.json\n`);
  return new Promise<number>((resolveExit) => {
    const stop = (signal: string) => {
      io.stderr.write(`bert serve: ${signal}, draining in-flight requests\n`);
      server.close().then(
        () => resolveExit(0),
        (e: unknown) => {
          io.stderr.write(`bert serve: shutdown failed: ${(e as Error).message}\n`);
          resolveExit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
