// Test helpers: an Io whose output is captured, and a temporary directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Io } from './command.js';

export function capture(): { io: Io; out: () => string; err: () => string } {
  const out = new PassThrough(), err = new PassThrough();
  let o = '', e = '';
  out.on('data', (c) => (o += c));
  err.on('data', (c) => (e += c));
  return { io: { stdout: out, stderr: err, stdin: new PassThrough() }, out: () => o, err: () => e };
}

export function tempDir(prefix = 'bert-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A small corpus in google-research/bert's format: one sentence per line, blank line between documents. */
export function smallCorpus(): string {
  const docs: string[] = [];
  const subjects = ['the cat', 'a dog', 'the old man', 'my sister', 'the teacher', 'a small bird', 'the farmer', 'our neighbour'];
  const verbs = ['sees', 'likes', 'finds', 'watches', 'helps', 'follows'];
  const objects = ['the house', 'a red ball', 'the river', 'the children', 'a green field', 'the market'];
  for (let d = 0; d < 12; d++) {
    const lines: string[] = [];
    for (let s = 0; s < 8; s++) {
      const i = d * 8 + s;
      lines.push(`${subjects[i % subjects.length]} ${verbs[(i * 5) % verbs.length]} ${objects[(i * 7) % objects.length]} every day .`);
    }
    docs.push(lines.join('\n'));
  }
  return docs.join('\n\n') + '\n';
}
