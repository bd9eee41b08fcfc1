// Two smaller views of the Brown tagset (472 distinct tags in the corpus, most of them decorated variants):
//
// `simplifyBrownTag` (the default for the POS task) keeps the Brown base tag and drops its decorations:
//   - compound tags of contractions keep their first part: `pps+bez` ("it's") → `pps`, `md*`… see below;
//   - the suffixes `-tl` (in a title), `-hl` (in a headline) and `-nc` (cited word) are removed: `nn-tl-hl` → `nn`;
//   - foreign words `fw-…` become `fw`;
//   - the negation marker `*` is removed (`do*` "don't" → `do`), except the tag `*` itself ("not", "n't");
//   - the possessive `$` is removed (`np$` → `np`) except in the base tags `pp$` (my), `pp$$` (mine), `wp$` (whose).
// `universalTag` maps a simplified tag to the 12 universal tags of Petrov, Das & McDonald (2012) (NOUN VERB ADJ ADV
// PRON DET ADP NUM CONJ PRT . X), following the spirit of NLTK's en-brown.map; it is our table, not a copy of it.

const KEEP_DOLLAR = new Set(['pp$', 'pp$$', 'wp$']);

/** A Brown corpus tag → its base tag (see the file comment for the rules). */
export function simplifyBrownTag(tag: string): string {
  let t = tag.toLowerCase().split('+')[0];
  for (;;) {
    const stripped = t.replace(/-(tl|hl|nc)$/, '');
    if (stripped === t) break;
    t = stripped;
  }
  if (t.startsWith('fw-')) return 'fw';
  if (t.length > 1 && t.endsWith('*')) t = t.slice(0, -1);
  if (t.length > 1 && t.endsWith('$') && !KEEP_DOLLAR.has(t)) t = t.slice(0, -1);
  return t;
}

export type UniversalTag = 'NOUN' | 'VERB' | 'ADJ' | 'ADV' | 'PRON' | 'DET' | 'ADP' | 'NUM' | 'CONJ' | 'PRT' | '.' | 'X';

/** The 12 universal tags in a fixed order (label ids of the universal POS task). */
export const UNIVERSAL_TAGS: readonly UniversalTag[] = ['NOUN', 'VERB', 'ADJ', 'ADV', 'PRON', 'DET', 'ADP', 'NUM', 'CONJ', 'PRT', '.', 'X'];

const UNIVERSAL: Record<string, UniversalTag> = {};
const add = (u: UniversalTag, tags: string) => tags.split(' ').forEach((t) => (UNIVERSAL[t] = u));
add('NOUN', 'nn nns np nps nr nrs');
add('VERB', 'vb vbd vbg vbn vbz md be bed bedz beg bem ben ber bez do dod doz hv hvd hvg hvn hvz');
add('ADJ', 'jj jjr jjs jjt od');
add('ADV', 'rb rbr rbt rn ql qlp wql wrb *');
add('PRON', 'pn pp$ pp$$ ppl ppls ppo pps ppss wp$ wpo wps');
add('DET', 'at abl abn abx ap dt dti dts dtx wdt ex');
add('ADP', 'in');
add('NUM', 'cd');
add('CONJ', 'cc cs');
add('PRT', 'rp to');
add('.', ". , : ; ( ) -- `` '' ' ` ! ?");
add('X', 'fw uh nil nc');

/** A simplified Brown tag → universal tag (`X` for anything not in the table). */
export function universalTag(simplified: string): UniversalTag {
  return UNIVERSAL[simplified] ?? 'X';
}
