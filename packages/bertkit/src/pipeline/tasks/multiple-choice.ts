// multiple-choice (a bertkit extra; HF has no such pipeline): @bertkit/heads' chooseEnding, a softmax over
// `[CLS] context [SEP] choice [SEP]` scores of BertForMultipleChoice.
import { chooseEnding, TaskInputError, type ExternalForward, type LoadedBert } from '@bertkit/heads';
import type { MultipleChoiceInput, MultipleChoiceOutput } from '../types';
import { taskModel } from './task-model';

export async function runMultipleChoice(m: LoadedBert, input: MultipleChoiceInput, maxLength: number, forward?: ExternalForward): Promise<MultipleChoiceOutput> {
  if ((typeof input?.context !== 'string' && !Array.isArray(input?.context)) || !Array.isArray(input.choices)) {
    throw new TaskInputError('input', '{ context: string | string[], choices: string[] }', JSON.stringify(input));
  }
  return chooseEnding(taskModel(m, 'multiple-choice'), m.tokenizer, input.context, input.choices, maxLength, forward);
}
