// The task head a pipeline needs, or an error naming the checkpoint and what it holds.
import type { BertTaskModel, HeadKind, LoadedBert } from '@bertkit/heads';
import { PipelineError } from '../errors';

export function taskModel(m: LoadedBert, kind: HeadKind): BertTaskModel {
  if (m.task?.kind !== kind) throw new PipelineError(`${m.source} head`, `a ${kind} head`, m.task ? `a ${m.task.kind} head` : 'no task head');
  return m.task;
}
