#!/usr/bin/env node
import { runCli } from './cli.js';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`bert: ${(e as Error).stack ?? e}\n`); process.exitCode = 1; },
);
