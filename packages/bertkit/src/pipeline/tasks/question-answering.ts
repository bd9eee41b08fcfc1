// question-answering: every window of the context (doc_stride) through BertForQuestionAnswering, then HF's
// span scoring (@bertkit/heads' pipelineAnswers): `{ answer, score, start, end }` with character offsets.
import { collateSquad, pipelineAnswers, predictLogits, squadFeatures, squadWindows, TaskInputError, type ExternalForward, type LoadedBert } from '@bertkit/heads';
import type { QuestionAnsweringInput, QuestionAnsweringOptions, QuestionAnsweringOutput } from '../types';
import { taskModel } from './task-model';

export async function runQuestionAnswering(m: LoadedBert, input: QuestionAnsweringInput, o: QuestionAnsweringOptions, maxLength: number, _inList: boolean, forward?: ExternalForward): Promise<QuestionAnsweringOutput> {
  const model = taskModel(m, 'question-answering');
  if (typeof input?.question !== 'string' || typeof input?.context !== 'string') {
    throw new TaskInputError('input', '{ question: string, context: string }', JSON.stringify(input));
  }
  const maxSeqLength = Math.min(o.max_seq_len ?? 384, maxLength);
  const example = { id: 'q', title: '', question: input.question, context: input.context, answers: [], isImpossible: false, plausibleAnswers: [] };
  const features = squadFeatures(m.tokenizer, [example], {
    maxSeqLength,
    docStride: o.doc_stride ?? Math.min(Math.floor(maxSeqLength / 2), 128),
    maxQueryLength: Math.min(o.max_question_len ?? 64, maxSeqLength - 4),
  });
  const logits = await predictLogits(forward ?? model, features, (fs) => collateSquad(fs, m.tokenizer.padTokenId));
  const [q] = squadWindows([example], features, logits);
  const answers = pipelineAnswers(input.context, q.windows, {
    topK: o.top_k ?? 1,
    maxAnswerLen: o.max_answer_len ?? 15,
    handleImpossibleAnswer: o.handle_impossible_answer ?? false,
    alignToWords: o.align_to_words ?? true,
  });
  return answers.length === 1 ? answers[0] : answers;
}
