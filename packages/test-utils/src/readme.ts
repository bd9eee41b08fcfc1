// Runs the TypeScript examples of a package's README, so that a README that stops running fails a test.
// Every fenced block whose info string is `ts` or `typescript` runs as its own ES module: transpiled (types
// stripped, nothing checked) with TypeScript's `transpileModule`, written to a temporary folder inside the
// package so that its own name (`@bertkit/encoder`, through the `exports` map: build first) and its
// dependencies resolve as they do for a user, then run with `node`. A block marked ```ts no-run is skipped.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { fixturesDir } from './index.js';

export interface ReadmeBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string after the fence's language, e.g. `no-run`. */
  flags: string[];
  source: string;
}

/** The ```ts / ```typescript fenced blocks of a Markdown text, in order. */
export function readmeCodeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i]);
    if (open === null) continue;
    const [, indent, fence, lang, rest] = open;
    // CommonMark: the block ends at a line of only the fence character, at least as long as the opening fence.
    const closes = (l: string) => l.trim().length >= fence.length && l.trim() === fence[0].repeat(l.trim().length);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !closes(lines[j])) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
      j++;
    }
    if (lang === 'ts' || lang === 'typescript') {
      blocks.push({ line: i + 1, flags: rest.split(/\s+/).filter(Boolean), source: body.join('\n') });
    }
    i = j; // skip the body and the closing fence
  }
  return blocks;
}

export interface RunReadmeOptions {
  /** Folder the blocks run from (module resolution starts here). Default: the README's folder. */
  cwd?: string;
  /** Extra environment; BERTKIT_FIXTURES is always set (absolute) so blocks can find ../shared/fixtures. */
  env?: Record<string, string>;
  /** Per block; default 120 s. */
  timeoutMs?: number;
}

export interface ReadmeBlockResult extends ReadmeBlock {
  /** True for ```ts no-run blocks (not run; exitCode null). */
  skipped: boolean;
  exitCode: number | null;
  /** Set when the block was killed (e.g. SIGTERM after the timeout). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs every ```ts block of `readmePath` (see the file comment) one after another, each in its own `node`
 * process, and returns how each ended. Assert `exitCode === 0` per block: a failing block's stderr says why.
 */
export async function runReadmeBlocks(readmePath: string, options: RunReadmeOptions = {}): Promise<ReadmeBlockResult[]> {
  const cwd = options.cwd ?? dirname(readmePath);
  const results: ReadmeBlockResult[] = [];
  const tmp = mkdtempSync(join(cwd, '.readme-run-'));
  try {
    for (const block of readmeCodeBlocks(readFileSync(readmePath, 'utf8'))) {
      if (block.flags.includes('no-run')) {
        results.push({ ...block, skipped: true, exitCode: null, signal: null, stdout: '', stderr: '' });
        continue;
      }
      const js = ts.transpileModule(block.source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
        fileName: `readme-line-${block.line}.ts`,
      }).outputText;
      const file = join(tmp, `line-${block.line}.mjs`);
      writeFileSync(file, js);
      const env = { ...process.env, BERTKIT_FIXTURES: fixturesDir(), ...options.env };
      results.push({ ...block, skipped: false, ...(await runNode(file, cwd, env, options.timeoutMs ?? 120_000)) });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

function runNode(
  file: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<Pick<ReadmeBlockResult, 'exitCode' | 'signal' | 'stdout' | 'stderr'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
}
