// An ONNX Runtime engine for a checkpoint already in memory (no file written): the graph of `buildOnnxModel`
// with the head the checkpoint has plus the encoder's outputs, so that one session serves embeddings
// (`last_hidden_state`, `pooler_output`) and the head (`logits`, or `start_logits` / `end_logits`).
import type { BertConfig, RawTensor } from '@bertkit/encoder';
import { buildOnnxModel } from './build-model.js';
import { OrtEngineError } from './errors.js';
import { headOf, type HeadKind } from './heads.js';
import { createOrtEncoder, importOnnxRuntime, type IdArray, type OrtEncoderOptions, type OrtOutput } from './ort-encoder.js';

/** @bertkit/heads' task kinds → the ONNX head that computes them. */
const TASK_HEADS: Record<string, HeadKind> = {
  'sequence-classification': 'seqcls',
  'token-classification': 'tokcls',
  'question-answering': 'qa',
  'multiple-choice': 'mc',
};

/**
 * A checkpoint: its config and tensors (any HF naming). A loaded model (@bertkit/heads' `LoadedBert`) fits: its
 * task head (`task.kind`), else its masked-LM head (`mlm`), picks the graph's head.
 */
export interface OrtBertSource {
  config: BertConfig;
  tensors: Map<string, RawTensor>;
  task?: { kind: string } | null;
  mlm?: unknown;
}

export interface OrtBertOptions extends OrtEncoderOptions {
  /** The head; default the loaded task head, else `mlm` when there is a masked-LM head, else config.architectures[0]'s. */
  head?: HeadKind;
}

export interface OrtBertInputs {
  inputIds: IdArray; // [B, T] (or [B, C, T] for head mc), row-major
  typeIds: IdArray;
  attentionMask: IdArray;
}

export interface OrtBert {
  readonly config: BertConfig;
  readonly head: HeadKind;
  /** `last_hidden_state`, `pooler_output` (with a pooler), and the head's outputs. */
  readonly outputNames: readonly string[];
  /**
   * One forward pass on padded ids of `shape`; `outputs` (default all) by name. With head `mc`, a [B, T] shape
   * runs the encoder as [B, 1, T] (one choice per row: embeddings of a multiple-choice checkpoint).
   */
  run(inputs: OrtBertInputs, shape: readonly number[], outputs?: readonly string[]): Promise<Record<string, OrtOutput>>;
  dispose(): Promise<void>;
}

/** The head a checkpoint's graph gets (see OrtBertOptions.head). */
export function ortHeadOf(source: OrtBertSource): HeadKind {
  if (source.task) {
    const head = TASK_HEADS[source.task.kind];
    if (head === undefined) throw new OrtEngineError(`createOrtBert task.kind: expected one of ${Object.keys(TASK_HEADS).join(', ')}, got ${JSON.stringify(source.task.kind)}`);
    return head;
  }
  if (source.mlm) return 'mlm';
  if ('mlm' in source || 'task' in source) return 'base'; // a loaded model without heads
  return headOf(source.config);
}

/** Builds the ONNX graph of `source` in memory and opens an ONNX Runtime session on it (onnxruntime-node). */
export async function createOrtBert(source: OrtBertSource, options: OrtBertOptions = {}): Promise<OrtBert> {
  await importOnnxRuntime(); // fails first, naming the package, before a large graph is built
  const { head: wanted, ...sessionOptions } = options;
  const head = wanted ?? ortHeadOf(source);
  const model = buildOnnxModel(source.config, source.tensors, { head, encoderOutputs: true });
  const session = await createOrtEncoder(model.bytes, sessionOptions);
  return {
    config: source.config,
    head,
    outputNames: session.outputNames,
    async run(inputs, shape, outputs) {
      // [B, 1, T] flattens back to [B, T] in the graph: the encoder outputs keep their [B, ...] rows.
      const s = head === 'mc' && shape.length === 2 ? [shape[0], 1, shape[1]] : shape;
      return session.run({ inputIds: inputs.inputIds, tokenTypeIds: inputs.typeIds, attentionMask: inputs.attentionMask }, s, outputs);
    },
    dispose: () => session.dispose(),
  };
}
