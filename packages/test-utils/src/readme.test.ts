import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeCodeBlocks, runReadmeBlocks } from './readme.js';

const README = [
  '# pkg',
  '```ts',
  "const n: number = 1 + 1;",
  'console.log(`two=${n}`);',
  '```',
  '```sh',
  'echo not ts',
  '```',
  '- item',
  '  ```typescript no-run',
  '  undefinedThing();',
  '  ```',
  '````ts',
  '/*',
  '```',
  '*/',
  "throw new Error('fails on purpose');",
  '````',
].join('\n');

describe('readmeCodeBlocks', () => {
  it('finds ts / typescript fences with their line, flags and body (indented and longer fences too)', () => {
    expect(readmeCodeBlocks(README)).toEqual([
      { line: 2, flags: [], source: 'const n: number = 1 + 1;\nconsole.log(`two=${n}`);' },
      { line: 10, flags: ['no-run'], source: 'undefinedThing();' },
      { line: 13, flags: [], source: "/*\n```\n*/\nthrow new Error('fails on purpose');" },
    ]);
  });
});

describe('runReadmeBlocks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bertkit-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs each block in node (types stripped), skips no-run, reports exit codes and output', async () => {
    writeFileSync(join(dir, 'README.md'), README);
    const results = await runReadmeBlocks(join(dir, 'README.md'));
    expect(results.map((r) => [r.line, r.skipped, r.exitCode])).toEqual([
      [2, false, 0],
      [10, true, null],
      [13, false, 1],
    ]);
    expect(results[0].stdout).toBe('two=2\n');
    expect(results[2].stderr).toContain('fails on purpose');
  });
});
