// TEI's POST /tokenize ([[{id, text, special, start, stop}]], start/stop UTF-8 byte offsets into the (prompted)
// input, null for special tokens: core/src/tokenization.rs `into_tokens`) and POST /decode (one string per id list).
import type { Ctx } from '../../context.js';
import { ApiError } from '../../errors.js';
import type { RouteDef } from '../route-def.js';
import { checkBatch, emptyError, promptField, promptOf, teiModel, teiObject } from './tei-common.js';

/** UTF-8 byte offset of every UTF-16 index of `text` (length text.length + 1). */
export function utf8Offsets(text: string): Int32Array {
  const out = new Int32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      out[++i] = bytes;
    } else bytes += 3;
  }
  out[text.length] = bytes;
  return out;
}

interface TokenizeBody {
  inputs: string | string[];
  add_special_tokens?: boolean;
  prompt_name?: string | null;
}

function tokensOf(ctx: Ctx, input: string, addSpecialTokens: boolean, prompt: string | undefined) {
  const m = teiModel(ctx);
  if (input.length === 0) throw emptyError('inputs');
  const text = (prompt ?? '') + input;
  const enc = m.tokenizer.encode(text, null, { addSpecialTokens });
  const bytes = utf8Offsets(text);
  return enc.ids.map((id, i) => {
    if (enc.specialTokensMask[i] === 1) return { id, text: enc.tokens[i], special: true, start: null, stop: null };
    const [s, e] = enc.offsets[i];
    return { id, text: text.slice(s, e), special: false, start: bytes[s], stop: bytes[e] };
  });
}

export const teiTokenizeRoute: RouteDef = {
  method: 'POST',
  url: '/tokenize',
  operationId: 'teiTokenize',
  dialect: 'tei',
  summary: 'TEI: tokens with ids, text, special flag and UTF-8 byte offsets, one list per input',
  body: (o) =>
    teiObject(
      {
        inputs: { type: ['string', 'array'], maxLength: o.maxTextChars, items: { type: 'string', maxLength: o.maxTextChars } },
        add_special_tokens: { type: 'boolean', description: 'Add [CLS] / [SEP] (default true)' },
        prompt_name: promptField,
      },
      ['inputs'],
    ),
  response: { type: 'array', items: { type: 'array', items: { type: 'object' } } },
  handler: async (ctx, body: TokenizeBody) => {
    const add = body.add_special_tokens ?? true;
    const prompt = promptOf(teiModel(ctx), body.prompt_name);
    if (typeof body.inputs === 'string') return [tokensOf(ctx, body.inputs, add, prompt)];
    checkBatch(ctx, body.inputs.length, 'inputs');
    return body.inputs.map((t) => tokensOf(ctx, t, add, prompt));
  },
};

interface DecodeBody {
  ids: number[] | number[][];
  skip_special_tokens?: boolean;
}

export const teiDecodeRoute: RouteDef = {
  method: 'POST',
  url: '/decode',
  operationId: 'teiDecode',
  dialect: 'tei',
  summary: 'TEI: the text of token ids, one string per id list',
  body: () =>
    teiObject(
      {
        ids: { type: 'array', items: { type: ['integer', 'array'], minimum: 0, items: { type: 'integer', minimum: 0 } }, description: 'Token ids, or a batch of token-id lists' },
        skip_special_tokens: { type: 'boolean', description: 'Leave out [CLS], [SEP], [PAD], ... (default true)' },
      },
      ['ids'],
    ),
  response: { type: 'array', items: { type: 'string' } },
  handler: async (ctx, body: DecodeBody) => {
    const m = teiModel(ctx);
    const batch = body.ids.length > 0 && Array.isArray(body.ids[0]);
    if (batch) checkBatch(ctx, body.ids.length, 'ids');
    const lists = (batch ? body.ids : [body.ids]) as unknown[][];
    return lists.map((ids, i) => {
      if (!Array.isArray(ids)) throw new ApiError(422, 'invalid_request', `ids[${i}]: expected a list of token ids like ids[0], got ${typeof ids}`, `ids[${i}]`);
      if (ids.length === 0) throw emptyError(batch ? 'ids' : 'input_ids');
      for (const id of ids) {
        if (typeof id !== 'number' || id >= m.config.vocabSize) throw new ApiError(422, 'tokenizer', `tokenizer error: ${JSON.stringify(id)} is not a token id of ${m.name} (vocabulary size ${m.config.vocabSize})`, 'ids');
      }
      return m.tokenizer.decode(ids as number[], { skipSpecialTokens: body.skip_special_tokens ?? true });
    });
  },
};
