// Starts the server and shuts it down gracefully on SIGINT / SIGTERM (in-flight requests are answered first).
// `serve` takes already-parsed options (what `bert serve` in apps/cli calls); `runServe` parses argv first (the
// `bert-server` binary).
import type { DownloadProgress } from '@bertkit/hub';
import { describeBackendChoice } from './backend-info.js';
import { parseServeArgs, type ServeArgs } from './cli-args.js';
import { describeOrigin } from './model-registry.js';
import { engineName } from './options.js';
import { createServer } from './server.js';

export interface ServeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** One stderr line per hub file once it has arrived. */
function downloadLog(io: ServeIo): (p: DownloadProgress) => void {
  return (p) => {
    if (p.loaded === p.total) io.stderr.write(`bert serve: ${p.repoId}: ${p.file} (${p.total} bytes, ${p.fileIndex + 1}/${p.fileCount})\n`);
  };
}

/** Serves `args` (parsed options, port, host); resolves with the exit code once the server has closed (after a signal). */
export async function serve(args: ServeArgs, io: ServeIo): Promise<number> {
  const { options, port, host } = args;
  const server = await createServer(options, { onDownload: downloadLog(io) });
  const url = await server.listen(port, host);
  for (const m of server.models.values()) io.stdout.write(`model ${m.name}: ${describeOrigin(m)} [${m.operations.join(', ')}]\n`);
  const backend = server.options.engine === 'ort' ? `engine ${engineName(server.options)}; tfjs backend ${server.backendChoice.backend} for loading` : `engine tfjs, backend ${describeBackendChoice(server.backendChoice)}`;
  io.stdout.write(`bert serve: listening on ${url} (${backend}; batching ${server.options.batching ? 'on' : 'off'}); OpenAPI at ${url}/openapi.json\n`);
  const failed = server.backendError();
  if (failed !== null) io.stderr.write(`bert serve: NOT READY (/readyz answers 503): ${failed}\n`);
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

/** `bert-server <argv>`: parses the flags (cli-args.ts) and serves. */
export async function runServe(argv: string[], io: ServeIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  return serve(parseServeArgs(argv, env), io);
}
