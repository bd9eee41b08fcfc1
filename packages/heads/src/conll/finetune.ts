// CoNLL-2003 NER as a fine-tuning task (paper §5.3 fine-tuning approach): the tag of each word on its first
// sub-token, entity-level F1 exactly as conlleval counts it. Labels: the tags of the train file, sorted.
import type { FineTuneTask } from '../common/finetune-task';
import { collateTokens, encodeWords, wordPredictions, type TokenFeature } from '../common/token-features';
import { conllevalSentences } from './conlleval';
import type { ConllDataset } from './reader';
import { MAX_SEQ_LENGTH } from '../common/defaults';

export function conllFineTuneTask(train: ConllDataset, dev: ConllDataset, maxLength = MAX_SEQ_LENGTH): FineTuneTask<TokenFeature> {
  const labels = [...new Set(train.sentences.flatMap((s) => s.tags).concat(dev.sentences.flatMap((s) => s.tags)))].sort();
  const ids = new Map(labels.map((l, i) => [l, i]));
  const o = ids.get('O') ?? 0;
  const encode = (d: ConllDataset, tok: Parameters<FineTuneTask<TokenFeature>['trainFeatures']>[0]) =>
    d.sentences.map((s) => encodeWords(tok, s.words, s.tags.map((t) => ids.get(t) as number), maxLength));
  const gold = dev.sentences.map((s) => s.tags);
  return {
    name: 'conll',
    kind: 'token-classification',
    labels,
    mainMetric: 'f1',
    defaultEpochs: 3,
    trainFeatures: (tok) => encode(train, tok),
    devFeatures: (tok) => encode(dev, tok),
    collate: collateTokens,
    evaluate: (fs, logits) => {
      const tags = fs.map((f, i) => wordPredictions(f, logits[i], o).map((l) => labels[l]));
      const r = conllevalSentences(gold, tags);
      return { scores: { f1: r.fb1, precision: r.precision, recall: r.recall, accuracy: r.accuracy }, predictions: tags };
    },
    baseline: () => {
      // Most frequent tag per word form in train (unseen words: O), scored by conlleval.
      const perWord = new Map<string, Map<string, number>>();
      for (const s of train.sentences) s.words.forEach((w, i) => {
        const m = perWord.get(w) ?? new Map<string, number>();
        m.set(s.tags[i], (m.get(s.tags[i]) ?? 0) + 1);
        perWord.set(w, m);
      });
      const pick = (w: string) => {
        const m = perWord.get(w);
        return m ? [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0] : 'O';
      };
      const r = conllevalSentences(gold, dev.sentences.map((s) => s.words.map(pick)));
      return { f1: r.fb1, accuracy: r.accuracy };
    },
  };
}
