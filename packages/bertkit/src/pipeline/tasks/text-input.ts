// A text or `{ text, text_pair }` → [text, pair | undefined], or a TaskInputError naming what came.
import { TaskInputError } from '@bertkit/heads';
import type { TextInput } from '../types';

export function textPair(input: TextInput): [string, string | undefined] {
  const [text, pair] = typeof input === 'string' ? [input, undefined] : [input?.text, input?.text_pair];
  if (typeof text !== 'string' || (pair !== undefined && typeof pair !== 'string')) {
    throw new TaskInputError('input', 'a string or { text: string, text_pair?: string }', JSON.stringify(input));
  }
  return [text, pair];
}
