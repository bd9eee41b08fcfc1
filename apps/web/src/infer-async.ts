// Awaited twins of @bertkit/heads' fillMask and embedTexts. Those read results with arraySync(), which on
// WebGPU goes through a canvas-based synchronous readback that returned all zeros under SwiftShader here; an
// awaited `data()` maps the GPU buffer properly and lets the page breathe while the GPU works.
import type { FillMaskCandidate, MaskFill, Pooling } from '@bertkit/heads';
import * as tf from '@tensorflow/tfjs-core';
import type { LoadedBert } from './model-loader';

/** Top-k tokens at each [MASK] (the computation of heads' fillMask; same candidates, same scores). */
export async function fillMaskAsync(m: LoadedBert, text: string, topK = 5): Promise<MaskFill[]> {
  const { bert, tokenizer } = m;
  const head = m.mlm!;
  const enc = tokenizer.encode(text, null, { maxLength: bert.config.maxPositionEmbeddings, truncation: true });
  const mask = tokenizer.maskTokenId;
  const positions = enc.ids.map((id, i) => (id === mask ? i : -1)).filter((i) => i >= 0);
  if (positions.length === 0) throw new Error(`text: expected at least one ${tokenizer.idToToken(mask)} token, got ${JSON.stringify(text)}`);
  const k = Math.min(topK, bert.config.vocabSize);
  const [values, indices] = tf.tidy(() => {
    const out = bert.forward({ inputIds: tf.tensor2d([enc.ids], undefined, 'int32'), tokenTypeIds: tf.tensor2d([enc.typeIds], undefined, 'int32') });
    const hidden = tf.gather(tf.squeeze(out.sequenceOutput, [0]), tf.tensor1d(positions, 'int32')) as tf.Tensor2D; // [M, H]
    const top = tf.topk(tf.softmax(head.logits(hidden)), k); // [M, k]
    return [top.values, top.indices];
  });
  const [v, ix] = await Promise.all([values.data(), indices.data()]);
  tf.dispose([values, indices]);
  return positions.map((p, mi) => ({
    position: p,
    candidates: Array.from({ length: k }, (_, j): FillMaskCandidate => {
      const id = ix[mi * k + j];
      const ids = enc.ids.slice();
      ids[p] = id;
      return { tokenId: id, token: tokenizer.idToToken(id) ?? '', score: v[mi * k + j], sequence: tokenizer.decode(ids, { skipSpecialTokens: true }) };
    }),
  }));
}

/** L2-normalised sentence vectors: mean of the last layer over the tokens, or the [CLS] vector. */
export async function embedAsync(m: LoadedBert, texts: string[], pooling: Pooling): Promise<number[][]> {
  const out: number[][] = [];
  for (const t of texts) {
    const enc = m.tokenizer.encode(t, null, { maxLength: m.config.maxPositionEmbeddings, truncation: true });
    const v = tf.tidy(() => {
      const o = m.bert.forward({ inputIds: tf.tensor2d([enc.ids], undefined, 'int32'), tokenTypeIds: tf.tensor2d([enc.typeIds], undefined, 'int32') });
      const h = tf.squeeze(o.sequenceOutput, [0]); // [T, H]
      const x = pooling === 'cls' ? tf.squeeze(tf.slice(h, [0, 0], [1, -1]), [0]) : tf.mean(h, 0); // [H]
      return tf.div(x, tf.maximum(tf.norm(x), 1e-12));
    });
    out.push(Array.from(await v.data()));
    v.dispose();
  }
  return out;
}
