#!/usr/bin/env node
// `bert-server --model <dir> ...`: the same options as `bert serve`.
import { SERVE_USAGE } from './cli-args.js';
import { ServerConfigError } from './errors.js';
import { runServe } from './run-serve.js';

runServe(process.argv.slice(2), process).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e as Error;
    process.stderr.write(`bert-server: ${err.message}\n`);
    if (err instanceof ServerConfigError || err.name === 'TypeError') process.stderr.write(`usage: bert-server ${SERVE_USAGE}\n`);
    process.exit(err instanceof ServerConfigError ? 2 : 1);
  },
);
