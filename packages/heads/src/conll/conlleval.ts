// conlleval (CoNLL shared-task evaluation, perl, 2004-01-26 version) reproduced line for line: chunk-level
// precision / recall / FB1 overall and per type, and token accuracy over raw tag strings (B-X ≠ I-X). Input lines
// are `token-fields … gold guess`; an empty line or a line whose FIRST field is `-X-` is a sentence boundary
// (so `-DOCSTART- -X- -X- O O` lines count as tokens, as in conlleval).
import { cPrintfF } from './c-printf';
import { endOfChunk, perlTrue, splitTag, startOfChunk } from './chunk-rules';

/** Input conlleval itself rejects (it exits with an error): the message names the line. */
export class ConllevalError extends Error {
  override name = 'ConllevalError';
}

export interface ConllevalTypeScores {
  type: string;
  precision: number;
  recall: number;
  fb1: number;
  /** Chunks of this type in the guesses (the number conlleval prints at the end of the line). */
  found: number;
  /** Chunks of this type in the gold tags. */
  gold: number;
  correct: number;
}

export interface ConllevalResult {
  tokens: number;
  /** Gold chunks ("with N phrases"). */
  goldChunks: number;
  /** Guessed chunks ("found: N phrases"). */
  foundChunks: number;
  correctChunks: number;
  correctTags: number;
  /** Percentages, as conlleval computes them (0 when undefined). */
  accuracy: number;
  precision: number;
  recall: number;
  fb1: number;
  /** Per type, in conlleval's printing order (perl `sort`, with its duplicate quirk for empty types). */
  types: ConllevalTypeScores[];
}

const BOUNDARY = '-X-';

/** Streaming conlleval counter: feed tokens (gold tag, guessed tag) and sentence boundaries. */
export class ConllevalCounter {
  private correctChunk = 0;
  private correctTags = 0;
  private foundCorrect = 0;
  private foundGuessed = 0;
  private tokenCounter = 0;
  private inCorrect = false;
  private lastCorrect = 'O';
  private lastCorrectType = '';
  private lastGuessed = 'O';
  private lastGuessedType = '';
  private readonly correctChunkT = new Map<string, number>();
  private readonly foundCorrectT = new Map<string, number>();
  private readonly foundGuessedT = new Map<string, number>();

  /** One token. `firstField` is the line's first field (undefined for a two-field line); `-X-` marks a boundary. */
  add(correctRaw: string, guessedRaw: string, firstField?: string): void {
    const c = splitTag(correctRaw);
    const g = splitTag(guessedRaw);
    const correct = c.tag;
    const correctType = c.type;
    let guessed = g.tag;
    const guessedType = g.type;
    // "1999-06-26 sentence breaks should always be counted as out of chunk"
    if (firstField === BOUNDARY) guessed = 'O';
    const endC = endOfChunk(this.lastCorrect, correct, this.lastCorrectType, correctType);
    const endG = endOfChunk(this.lastGuessed, guessed, this.lastGuessedType, guessedType);
    if (this.inCorrect) {
      if (endC && endG && this.lastGuessedType === this.lastCorrectType) {
        this.inCorrect = false;
        this.correctChunk++;
        inc(this.correctChunkT, this.lastCorrectType);
      } else if (endC !== endG || guessedType !== correctType) {
        this.inCorrect = false;
      }
    }
    const startC = startOfChunk(this.lastCorrect, correct, this.lastCorrectType, correctType);
    const startG = startOfChunk(this.lastGuessed, guessed, this.lastGuessedType, guessedType);
    if (startC && startG && guessedType === correctType) this.inCorrect = true;
    if (startC) {
      this.foundCorrect++;
      inc(this.foundCorrectT, correctType);
    }
    if (startG) {
      this.foundGuessed++;
      inc(this.foundGuessedT, guessedType);
    }
    if (firstField !== BOUNDARY) {
      if (correct === guessed && guessedType === correctType) this.correctTags++;
      this.tokenCounter++;
    }
    this.lastGuessed = guessed;
    this.lastCorrect = correct;
    this.lastGuessedType = guessedType;
    this.lastCorrectType = correctType;
  }

  /** A sentence boundary (an empty line). */
  boundary(): void {
    this.add('O', 'O', BOUNDARY);
  }

  /** The final counts (does not change the counter: more tokens may follow). */
  result(): ConllevalResult {
    let correctChunk = this.correctChunk;
    const correctChunkT = new Map(this.correctChunkT);
    if (this.inCorrect) {
      correctChunk++;
      inc(correctChunkT, this.lastCorrectType);
    }
    const precision = this.foundGuessed > 0 ? (100 * correctChunk) / this.foundGuessed : 0;
    const recall = this.foundCorrect > 0 ? (100 * correctChunk) / this.foundCorrect : 0;
    const fb1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    const accuracy = this.tokenCounter > 0 ? (100 * this.correctTags) / this.tokenCounter : 0;
    // `foreach $i (sort (keys %foundCorrect, keys %foundGuessed))` skipping a repeat unless the previous is false.
    const all = [...this.foundCorrectT.keys(), ...this.foundGuessedT.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const sorted: string[] = [];
    let lastType: string | undefined;
    for (const t of all) {
      if (!perlTrue(lastType) || lastType !== t) sorted.push(t);
      lastType = t;
    }
    const types = sorted.map((type) => {
      const correct = correctChunkT.get(type) ?? 0;
      const found = this.foundGuessedT.get(type) ?? 0;
      const gold = this.foundCorrectT.get(type) ?? 0;
      const p = found ? (100 * correct) / found : 0.0;
      const r = gold ? (100 * correct) / gold : 0.0;
      const f = p + r === 0 ? 0.0 : (2 * p * r) / (p + r);
      return { type, precision: p, recall: r, fb1: f, found, gold, correct };
    });
    return {
      tokens: this.tokenCounter,
      goldChunks: this.foundCorrect,
      foundChunks: this.foundGuessed,
      correctChunks: correctChunk,
      correctTags: this.correctTags,
      accuracy,
      precision,
      recall,
      fb1,
      types,
    };
  }
}

function inc(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

export interface ConllevalOptions {
  /** `-d`: field delimiter (default one space; conlleval splits on each occurrence). */
  delimiter?: string;
  /** `-o`: the outside tag (default "O"), used with `raw`. */
  oTag?: string;
  /** `-r`: raw tags without B-/I- prefixes (every non-outside tag gets `B-`). */
  raw?: boolean;
}

/** perl `split(/d/, line)`: leading empty fields kept, trailing empty fields removed. */
function perlSplit(line: string, delimiter: string): string[] {
  const f = line.split(delimiter);
  while (f.length > 0 && f[f.length - 1] === '') f.pop();
  return f;
}

/**
 * Evaluates conlleval-format text (`… gold guess` per line) exactly as `conlleval < text` would — including its
 * reading of CRLF files (perl `chomp` keeps the `\r`, so it stays part of the guess tag).
 */
export function conllevalText(text: string, options: ConllevalOptions = {}): ConllevalResult {
  const delimiter = options.delimiter ?? ' ';
  const oTag = options.oTag ?? 'O';
  const counter = new ConllevalCounter();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the newline ending the last line
  let nbrOfFeatures = -1;
  lines.forEach((line, i) => {
    let features = perlSplit(line, delimiter);
    if (nbrOfFeatures < 0) nbrOfFeatures = features.length - 1;
    else if (nbrOfFeatures !== features.length - 1 && features.length !== 0) {
      throw new ConllevalError(`line ${i + 1}: unexpected number of features: ${features.length} (${nbrOfFeatures + 1})`);
    }
    if (features.length === 0 || features[0] === BOUNDARY) features = [BOUNDARY, 'O', 'O'];
    if (features.length < 2) throw new ConllevalError(`line ${i + 1}: unexpected number of features in line ${line}`);
    const n = features.length;
    if (options.raw) {
      for (const k of [n - 1, n - 2]) {
        if (features[k] === oTag) features[k] = 'O';
        if (features[k] !== 'O') features[k] = `B-${features[k]}`;
      }
    }
    counter.add(features[n - 2], features[n - 1], n > 2 ? features[0] : undefined);
  });
  return counter.result();
}

/** Evaluates tag sequences sentence by sentence (a boundary after each sentence, as blank lines in a file). */
export function conllevalSentences(gold: readonly (readonly string[])[], guessed: readonly (readonly string[])[]): ConllevalResult {
  if (gold.length !== guessed.length) throw new ConllevalError(`guessed: expected ${gold.length} sentences, got ${guessed.length}`);
  const counter = new ConllevalCounter();
  gold.forEach((g, s) => {
    if (g.length !== guessed[s].length) throw new ConllevalError(`guessed[${s}]: expected ${g.length} tags, got ${guessed[s].length}`);
    g.forEach((tag, i) => counter.add(tag, guessed[s][i]));
    counter.boundary();
  });
  return counter.result();
}

/** conlleval's text report, byte for byte (printf `%6.2f`, `%17s`). */
export function formatConllevalReport(r: ConllevalResult): string {
  let out = `processed ${r.tokens} tokens with ${r.goldChunks} phrases; found: ${r.foundChunks} phrases; correct: ${r.correctChunks}.\n`;
  if (r.tokens > 0) {
    out += `accuracy: ${cPrintfF(r.accuracy, 6, 2)}%; precision: ${cPrintfF(r.precision, 6, 2)}%; recall: ${cPrintfF(r.recall, 6, 2)}%; FB1: ${cPrintfF(r.fb1, 6, 2)}\n`;
  }
  for (const t of r.types) {
    out += `${t.type.padStart(17, ' ')}: precision: ${cPrintfF(t.precision, 6, 2)}%; recall: ${cPrintfF(t.recall, 6, 2)}%; FB1: ${cPrintfF(t.fb1, 6, 2)}  ${t.found}\n`;
  }
  return out;
}

/** The JSON form printed by `bert eval conll --json` (unrounded percentages; per type keyed by name). */
export function conllevalJson(r: ConllevalResult): Record<string, unknown> {
  const types: Record<string, unknown> = {};
  for (const t of r.types) types[t.type] = { precision: t.precision, recall: t.recall, f1: t.fb1, found: t.found, gold: t.gold, correct: t.correct };
  return {
    tokens: r.tokens,
    phrases: r.goldChunks,
    found: r.foundChunks,
    correct: r.correctChunks,
    accuracy: r.accuracy,
    precision: r.precision,
    recall: r.recall,
    f1: r.fb1,
    types,
  };
}
