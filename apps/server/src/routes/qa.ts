// POST /v1/qa: extractive question answering (BertForQuestionAnswering). The context is split into windows by
// the tokenizer's overflow with a stride (@bertkit/heads squadFeatures, as run_squad.py), every window is scored
// in the batch, and the answer is chosen over all windows by @bertkit/heads postprocessQa (run_squad.py
// write_predictions, with the best span's character offsets); SQuAD 2.0 models may answer "no answer".
import { postprocessQa, squadFeatures, squadWindows } from '@bertkit/heads';
import { pickModel } from '../context.js';
import { ApiError } from '../errors.js';
import { modelField, objectSchema, textSchema, type RouteDef } from './route-def.js';

interface Body {
  model?: string;
  question: string;
  context: string;
  max_answer_length?: number;
  max_seq_length?: number;
  doc_stride?: number;
  max_query_length?: number;
  allow_no_answer?: boolean;
  null_threshold?: number;
  top_k?: number;
}

export const qaRoute: RouteDef = {
  method: 'POST',
  url: '/v1/qa',
  summary: 'Extractive question answering with character offsets into the context',
  body: (o) =>
    objectSchema(
      {
        model: modelField,
        question: textSchema(o, 'The question'),
        context: textSchema(o, 'The passage to answer from (windowed with doc_stride when longer than max_seq_length)'),
        max_answer_length: { type: 'integer', minimum: 1, maximum: 512, description: 'In tokens (default 30)' },
        max_seq_length: { type: 'integer', minimum: 8, maximum: 4096, description: "Window length in tokens (default min(384, the model's limit))" },
        doc_stride: { type: 'integer', minimum: 1, maximum: 4096, description: 'Tokens shared by consecutive windows (default 128)' },
        max_query_length: { type: 'integer', minimum: 1, maximum: 4096, description: 'Question tokens kept (default 64)' },
        allow_no_answer: { type: 'boolean', description: 'SQuAD 2.0 models: answer null when the [CLS] null score wins (default false)' },
        null_threshold: { type: 'number', description: 'SQuAD 2.0 null_score_diff_threshold (default 0)' },
        top_k: { type: 'integer', minimum: 1, maximum: 20, description: 'n-best answers returned (default 1)' },
      },
      ['question', 'context'],
    ),
  response: objectSchema({
    model: { type: 'string' },
    answer: { type: ['object', 'null'], properties: { text: { type: 'string' }, start: { type: 'integer' }, end: { type: 'integer' }, score: { type: 'number' } } },
    no_answer: { type: 'boolean' },
    score_diff: { type: 'number' },
    nbest: { type: 'array', items: objectSchema({ text: { type: 'string' }, score: { type: 'number' } }) },
    windows: { type: 'integer' },
  }),
  handler: async (ctx, body: Body) => {
    const m = pickModel(ctx, body.model, 'qa');
    const maxSeqLength = Math.min(body.max_seq_length ?? 384, m.maxTokens);
    const maxQueryLength = Math.min(body.max_query_length ?? 64, maxSeqLength - 4);
    const docStride = body.doc_stride ?? Math.max(1, Math.min(128, Math.floor((maxSeqLength - maxQueryLength - 4) / 2)));
    if (docStride >= maxSeqLength - maxQueryLength - 3) {
      throw new ApiError(400, 'invalid_request', `doc_stride: expected < ${maxSeqLength - maxQueryLength - 3} (max_seq_length - max_query_length - 3), got ${docStride}`, 'doc_stride');
    }
    const example = { id: 'q', title: '', question: body.question, context: body.context, answers: [], isImpossible: false, plausibleAnswers: [] };
    const features = squadFeatures(m.tokenizer, [example], { maxSeqLength, docStride, maxQueryLength });
    if (features.length > ctx.options.maxTexts) {
      throw new ApiError(400, 'input_too_long', `context: ${features.length} windows of ${maxSeqLength} tokens, more than the limit of ${ctx.options.maxTexts}`, 'context');
    }
    const rows = features.map((f) => [{ inputIds: f.inputIds, typeIds: f.typeIds }]);
    const logits = await ctx.batcher.submit({
      key: `${m.name}:qa`,
      items: rows,
      rows: rows.length,
      length: Math.max(...rows.map((r) => r[0].inputIds.length)),
      exec: (items) => ctx.engine.logits(m, items),
    });
    const [{ windows }] = squadWindows([example], features, logits.map((data) => ({ data, shape: [data.length / 2, 2] }))); // [T_i, 2] each
    const v2 = body.allow_no_answer ?? false;
    const pred = postprocessQa(body.context, windows, { maxAnswerLength: body.max_answer_length ?? 30, version2WithNegative: v2, nullScoreDiffThreshold: body.null_threshold ?? 0 });
    const noAnswer = pred.best === null || (v2 && pred.text === '');
    return {
      model: m.name,
      answer: noAnswer || !pred.best ? null : { text: pred.best.text, start: pred.best.start, end: pred.best.end, score: pred.best.probability },
      no_answer: noAnswer,
      ...(pred.scoreDiff !== undefined ? { score_diff: pred.scoreDiff } : {}),
      nbest: pred.nbest.slice(0, body.top_k ?? 1).map((e) => ({ text: e.text, score: e.probability })),
      windows: features.length,
    };
  },
};
