// What the TEI routes share (text-embeddings-inference router/src/http/types.rs): the served model (TEI serves
// one: here the first loaded model), the `inputs` forms, TEI's batch checks and messages, truncation and prompts.
// Unknown fields are ignored, as serde does for TEI's request structs.
import type { Ctx } from '../../context.js';
import { ApiError } from '../../errors.js';
import type { ServedModel } from '../../model-registry.js';
import type { ResolvedOptions } from '../../options.js';
import type { JsonSchema } from '../route-def.js';

/** The model TEI's routes serve: the first one loaded (`--model` order). */
export function teiModel(ctx: Ctx): ServedModel {
  return ctx.models.values().next().value as ServedModel;
}

/** A request object whose unknown fields are ignored (serde's default), so TEI clients' extra fields pass. */
export function teiObject(properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return { type: 'object', additionalProperties: true, properties, required };
}

const nullable = (type: string, description: string, extra: JsonSchema = {}): JsonSchema => ({ type: [type, 'null'], description, ...extra });

/** TEI's `Input`: a string, token ids, or a batch of strings and token-id lists. */
export function teiInputs(o: ResolvedOptions): JsonSchema {
  return {
    type: ['string', 'array'],
    maxLength: o.maxTextChars,
    items: { type: ['string', 'integer', 'array'], maxLength: o.maxTextChars, minimum: 0, items: { type: 'integer', minimum: 0 } },
    description: `A string, a list of token ids, or a batch (at most ${o.maxTexts}) of strings and token-id lists`,
  };
}

export const truncateFields: Record<string, JsonSchema> = {
  truncate: nullable('boolean', "Cut inputs longer than max_input_length (default: the server's --overflow; reject = 422)"),
  truncation_direction: { type: 'string', enum: ['left', 'right', 'Left', 'Right'], description: 'Which end truncation cuts (default right)' },
};

export const promptField: JsonSchema = nullable('string', 'A key of the prompts in config_sentence_transformers.json; its text is prepended to each text input');

/** TEI's 400 for an empty input or batch. */
export function emptyError(field: string): ApiError {
  return new ApiError(400, 'empty', `Input validation error: \`${field}\` cannot be empty`, field);
}

/** TEI's 422 for a batch above max_client_batch_size. */
export function checkBatch(ctx: Ctx, n: number, field: string): void {
  if (n === 0) throw emptyError(field);
  if (n > ctx.options.maxTexts) throw new ApiError(422, 'invalid_request', `batch size ${n} > maximum allowed batch size ${ctx.options.maxTexts}`, field);
}

/** TEI's 422 for an input longer than max_input_length without truncate. */
export function teiTooLong(field: string, tokens: number, max: number): ApiError {
  return new ApiError(422, 'input_too_long', `Input validation error: \`inputs\` must have less than ${max} tokens. Given: ${tokens}`, field);
}

export function truncateOf(ctx: Ctx, truncate: boolean | null | undefined): boolean {
  return truncate ?? ctx.options.overflow === 'truncate';
}

export function sideOf(direction: string | undefined): 'left' | 'right' {
  return direction?.toLowerCase() === 'left' ? 'left' : 'right';
}

/** The prompt text of `prompt_name` (TEI's messages when the model has no prompts or not that one). */
export function promptOf(m: ServedModel, name: string | null | undefined): string | undefined {
  if (name === null || name === undefined) return undefined;
  const prompts = m.sentenceTransformers.prompts;
  if (prompts === null) {
    throw new ApiError(422, 'invalid_request', `Input validation error: \`prompt_name\` is set to \`${name}\` but no prompts were found in the Sentence Transformers configuration`, 'prompt_name');
  }
  if (!(name in prompts)) {
    throw new ApiError(422, 'invalid_request', `Input validation error: \`prompt_name\` is set to \`${name}\` but it was not found in the Sentence Transformers prompts. Available prompts: ${JSON.stringify(Object.keys(prompts))}`, 'prompt_name');
  }
  return prompts[name];
}

/** The pooling TEI reports and /embed uses: 1_Pooling/config.json's, else the mean. */
export function poolingOf(m: ServedModel): 'cls' | 'mean' {
  return m.sentenceTransformers.pooling ?? 'mean';
}
