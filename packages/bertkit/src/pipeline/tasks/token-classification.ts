// token-classification (ner): per-token softmax of BertForTokenClassification, then HF's aggregation strategies
// (@bertkit/heads' aggregateEntities) with `[start, end)` offsets into the text from the tokenizer.
import { decodeWordPieces } from '@bertkit/tokenizer';
import { aggregateEntities, gatherPreEntities, labelOf, padRows, predictLogits, softmax, type ExternalForward, type LoadedBert } from '@bertkit/heads';
import type { TextInput, TokenClassificationOptions, TokenClassificationOutput } from '../types';
import { textPair } from './text-input';
import { taskModel } from './task-model';

export async function runTokenClassification(m: LoadedBert, input: TextInput, o: TokenClassificationOptions, maxLength: number, _inList: boolean, forward?: ExternalForward): Promise<TokenClassificationOutput> {
  const model = taskModel(m, 'token-classification');
  const tok = m.tokenizer;
  const [text, pair] = textPair(input);
  const enc = tok.encode(text, pair ?? null, { maxLength, truncation: pair === undefined ? true : 'only_second' });
  const [logits] = await predictLogits(forward ?? model, [{ inputIds: enc.ids, typeIds: enc.typeIds }], (fs) => padRows(fs.map((f) => [f]), tok.padTokenId));
  const k = model.numLabels;
  const scores = enc.ids.map((_, t) => softmax(Array.from(logits.data.subarray(t * k, (t + 1) * k)))); // [T][K]
  // Entities of `text` only: the pair's tokens are context (their offsets point into text_pair).
  const specialTokensMask = enc.specialTokensMask.map((s, t) => (s || enc.sequenceIds[t] !== 0 ? 1 : 0));
  const pre = gatherPreEntities({ text, ids: enc.ids, tokens: enc.tokens, offsets: enc.offsets, specialTokensMask, unkTokenId: tok.unkTokenId }, scores);
  return aggregateEntities(pre, o.aggregation_strategy ?? 'none', {
    labels: Array.from({ length: k }, (_, i) => labelOf(model.config, i)),
    ignoreLabels: o.ignore_labels,
    joinTokens: (t) => decodeWordPieces(t, tok.continuingSubwordPrefix, tok.cleanup),
  });
}
