// The fixture checkpoints of ../shared/fixtures/encoder/models/odd (vocab size 99) have no vocab.txt: tests copy
// each into a temp folder and write the 99-entry vocab.txt below next to it (the same for every model).
import { fixturesDir, fixturesMissing } from '@bertkit/test-utils';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WORDS = ['the', 'a', 'cat', 'dog', 'sat', 'on', 'mat', 'is', 'what', 'where', 'who', 'paris', 'france', 'capital', 'of', 'in', 'city', 'john', 'lives', 'berlin', 'and', 'it', 'was', 'good', 'bad', 'movie', 'ran', 'park', 'he', 'she', 'went', 'to', 'home', 'big', 'small', 'red'];
const PUNCT = ['.', ',', '?', '!', "'", '-'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');

/** [PAD]=0 [CLS]=1 [SEP]=2 [MASK]=3 [UNK]=4, then words, punctuation, letters and ##letters: 99 entries. */
export const VOCAB: string[] = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', '[UNK]', ...WORDS, ...PUNCT, ...LETTERS, ...LETTERS.map((l) => `##${l}`)];
if (VOCAB.length !== 99) throw new Error(`fixture vocab: expected 99 entries, got ${VOCAB.length}`);

export const MODELS_SUB = 'encoder/models/odd';
export const modelsMissing = fixturesMissing(MODELS_SUB);

export type FixtureName = 'base' | 'pretraining' | 'mlm' | 'seqcls' | 'qa' | 'tokcls' | 'mc';

/** Copies the named fixture checkpoints into one temp folder each (+ vocab.txt); `cleanup` removes them. */
export function fixtureModels(names: FixtureName[]): { dirs: Record<string, string>; root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'bert-server-'));
  const dirs: Record<string, string> = {};
  for (const n of names) {
    const src = join(fixturesDir(), MODELS_SUB, n);
    const dst = join(root, n);
    dirs[n] = dst;
    mkdirp(dst);
    copyFileSync(join(src, 'config.json'), join(dst, 'config.json'));
    copyFileSync(join(src, 'model.safetensors'), join(dst, 'model.safetensors'));
    writeFileSync(join(dst, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
  }
  return { dirs, root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function mkdirp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
