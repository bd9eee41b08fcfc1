// How `bert fill-mask` and the quickstart print fill-mask results (the computation is @bertkit/heads' fillMask).
import type { MaskFill } from '@bertkit/heads';

/** `the [MASK] sat` → the text, then the top candidates of each mask (probabilities as percentages). */
export function formatFillMask(text: string, fills: readonly MaskFill[]): string {
  const lines = [text];
  fills.forEach((m, i) => lines.push(`  ${fills.length > 1 ? `mask ${i + 1}: ` : ''}${formatCandidates(m)}`));
  return lines.join('\n') + '\n';
}

/** `cat 12.3%  dog 4.5%` (sub-0.1 % probabilities with three decimals). */
export function formatCandidates(m: MaskFill, sep = '  '): string {
  return m.candidates.map((c) => `${c.token_str} ${(100 * c.score).toFixed(c.score < 0.001 ? 3 : 1)}%`).join(sep);
}

/** The `--json` line of one text: HF's candidate fields (`id` kept as an alias of `token` for older readers). */
export function fillMaskJson(text: string, fills: readonly MaskFill[]): string {
  return JSON.stringify({ text, masks: fills.map((m) => ({ position: m.position, candidates: m.candidates.map((c) => ({ ...c, id: c.token })) })) });
}
