// `bert tokenize`: WordPiece tokens, ids and offsets for text given as arguments or on stdin.
import { readFile } from 'node:fs/promises';
import { BertTokenizer } from '@bertkit/tokenizer';
import { loadTokenizer } from '@bertkit/tokenizer/node';
import { flag, int, str } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { readStdin } from '../io-utils.js';

export const tokenizeCommand: Command = {
  name: 'tokenize',
  summary: 'Tokenize text with a WordPiece vocabulary: tokens, ids, offsets',
  usage: '[--model <dir> | --vocab <vocab.txt>] [--pair <text>] [--json] <text...>   (text from stdin when none)',
  options: {
    model: { type: 'string', description: 'model/tokenizer directory (vocab.txt or tokenizer.json)', valueName: 'dir' },
    vocab: { type: 'string', description: 'a vocab.txt file', valueName: 'file' },
    cased: { type: 'boolean', description: 'with --vocab: keep case and accents' },
    pair: { type: 'string', description: 'second sequence (segment B)', valueName: 'text' },
    'max-length': { type: 'string', description: 'truncate to this many tokens', valueName: 'n' },
    json: { type: 'boolean', description: 'print the encoding as JSON' },
  },
  async run(values, positionals, io) {
    const model = str(values, 'model');
    const vocab = str(values, 'vocab');
    if (!model && !vocab) throw new UsageError('give --model <dir> or --vocab <vocab.txt>');
    const tok = model ? await loadTokenizer(model) : BertTokenizer.fromVocab(await readFile(vocab!, 'utf8'), { lowercase: !flag(values, 'cased') });
    const text = positionals.length > 0 ? positionals.join(' ') : await readStdin(io.stdin);
    const maxLength = values['max-length'] === undefined ? undefined : int(values, 'max-length', 512, { min: 2 });
    const enc = tok.encode(text, str(values, 'pair'), maxLength ? { maxLength, truncation: 'longest_first' } : {});
    if (flag(values, 'json')) {
      io.stdout.write(JSON.stringify({ ids: enc.ids, tokens: enc.tokens, typeIds: enc.typeIds, offsets: enc.offsets }) + '\n');
      return 0;
    }
    io.stdout.write(formatEncoding(text, str(values, 'pair'), enc));
    return 0;
  },
};

/** A table: index, token, id, segment, [start, end) and the original text slice. */
export function formatEncoding(
  text: string,
  pair: string | undefined,
  enc: { ids: number[]; tokens: string[]; typeIds: number[]; offsets: [number, number][]; sequenceIds?: (number | null)[] },
): string {
  const rows = enc.tokens.map((t, i) => {
    const [s, e] = enc.offsets[i];
    const src = enc.sequenceIds?.[i] === 1 ? pair ?? '' : text;
    const slice = s === e ? '' : JSON.stringify(src.slice(s, e));
    return `${String(i).padStart(4)}  ${t.padEnd(16)} ${String(enc.ids[i]).padStart(6)}  ${enc.typeIds[i] === 1 ? 'B' : 'A'}  [${s}, ${e})  ${slice}`;
  });
  return ['   #  token             id    seg offsets   text', ...rows, ''].join('\n');
}
