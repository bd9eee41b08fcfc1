// Writes tagged output in conlleval's input format (`word <features…> gold guess`, blank line after each
// sentence), the file `bert eval conll --predictions` reads. With `docstart` (default the IOB2 files' line
// `-DOCSTART- -X- -X- O`) each document opens with that line plus an `O` guess and a blank line, as in the
// usual CoNLL-2003 evaluation files — conlleval then counts those lines as (correct) tokens.
import { ConllevalError } from './conlleval';
import type { ConllDataset } from './reader';

export interface ConllevalInputOptions {
  /** The document separator line without its guess column, or false to write none. */
  docstart?: string | false;
}

/** `ds` with one guessed tag per token appended (`predicted[sentence][token]`). */
export function formatConllevalInput(ds: ConllDataset, predicted: readonly (readonly string[])[], options: ConllevalInputOptions = {}): string {
  const docstart = options.docstart ?? '-DOCSTART- -X- -X- O';
  if (predicted.length !== ds.sentences.length) throw new ConllevalError(`predicted: expected ${ds.sentences.length} sentences, got ${predicted.length}`);
  const out: string[] = [];
  let doc = Number.NaN;
  ds.sentences.forEach((s, i) => {
    if (predicted[i].length !== s.words.length) throw new ConllevalError(`predicted[${i}]: expected ${s.words.length} tags, got ${predicted[i].length}`);
    if (docstart !== false && s.doc !== doc && s.doc >= 0) out.push(`${docstart} O`, '');
    doc = s.doc;
    s.words.forEach((w, k) => out.push([w, ...s.features[k], s.tags[k], predicted[i][k]].join(' ')));
    out.push('');
  });
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
