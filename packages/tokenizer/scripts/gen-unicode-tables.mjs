// Regenerates src/unicode-tables.ts: asks HF tokenizers (the Rust binding, a dev dependency) how its BertNormalizer
// and BertPreTokenizer treat every code point, compares with this engine's \p{...} tables, and writes the
// differences. Run: node scripts/gen-unicode-tables.mjs (about 30 s).
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../package.json'));
const t = require('@anush008/tokenizers');
const clean = t.bertNormalizer({ cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false });
const strip = t.bertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false });
const lower = t.bertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: true });
const pre = t.bertPreTokenizer();
const out = { control: [], ws: [], punct: [], strip: {}, lower: {} };
const t0 = Date.now();
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const c = String.fromCodePoint(cp);
  const n = clean.normalizeString('x' + c + 'x');
  if (n === 'xx') out.control.push(cp); else if (n !== 'x' + c + 'x' && n !== 'x x') out.control.push(-cp);
  const p = pre.preTokenizeString('x' + c + 'x');
  if (p.length === 2) out.ws.push(cp); else if (p.length === 3) out.punct.push(cp);
  const s = strip.normalizeString(c);
  if (s !== c) out.strip[cp] = s;
  const l = lower.normalizeString(c);
  if (l !== c) out.lower[cp] = l;
}
console.log(out.control.length, out.ws.length, out.punct.length, Object.keys(out.strip).length, Object.keys(out.lower).length);

const hf = out;
const ctl = /[\p{Cc}\p{Cf}\p{Co}]/u, ws = /\p{White_Space}/u, pun = /\p{P}/u, mn = /\p{Mn}/u;
const isAsciiP = (c) => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
const set = (a) => new Set(a);
const H = { control: set(hf.control), ws: set(hf.ws), punct: set(hf.punct) };
const diff = { control: [], ws: [], punct: [], strip: [], lower: [] };
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const c = String.fromCodePoint(cp);
  const jc = cp === 0 || cp === 0xfffd || (cp !== 9 && cp !== 10 && cp !== 13 && ctl.test(c));
  if (jc !== H.control.has(cp)) diff.control.push(cp);
  const jw = ws.test(c) ; if (jw !== H.ws.has(cp)) diff.ws.push(cp);
  const jp = isAsciiP(cp) || pun.test(c); if (jp !== H.punct.has(cp)) diff.punct.push(cp);
  let s = ''; for (const d of c.normalize('NFD')) if (!mn.test(d)) s += d;
  if (s !== (hf.strip[cp] ?? c)) diff.strip.push([cp, s, hf.strip[cp] ?? c]);
  const l = c.toLowerCase(); if (l !== (hf.lower[cp] ?? c)) diff.lower.push([cp, l, hf.lower[cp] ?? c]);
}
// Canonical ordering: HF's strip_accents runs NFD over whole strings, so combining marks are sorted by canonical
// combining class across code points. The engine exposes no ccc; char-class.ts tests "non-starter" as "NFD reorders
// it around U+0334 (ccc 1) or U+0301 (ccc 230)" and sorts with NFD itself. Record where HF's (Unicode 9) tables differ:
// characters HF does not decompose, and non-starters of this engine that HF treats as starters (encoded later).
const nfd = t.nfdNormalizer();
const hfNs = (c) => nfd.normalizeString(c + '\u0334') !== c + '\u0334' || nfd.normalizeString('\u0301' + c) !== '\u0301' + c;
const jsNs = (c) => (c + '\u0334').normalize('NFD') !== c + '\u0334' || ('\u0301' + c).normalize('NFD') !== '\u0301' + c;
const nfdKeep = [], starter = [], hfNonstarters = [];
for (let cp = 0; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const c = String.fromCodePoint(cp);
  const h = nfd.normalizeString(c), j = c.normalize('NFD');
  if (h !== j) {
    if (h !== c) throw new Error(`HF decomposes U+${cp.toString(16)} differently from this engine: extend unicode-tables.ts`);
    nfdKeep.push(cp);
  }
  if (h !== c) {
    // A decomposition never has a starter after a non-starter (char-class.ts relies on it).
    const d = [...h].map((x) => hfNs(x));
    if (d.some((ns, k) => !ns && k > 0 && d[k - 1])) throw new Error(`U+${cp.toString(16)}: starter after a non-starter`);
    continue;
  }
  // HF_NFD_KEEP characters (j !== c) count as starters at run time: this throws if HF disagrees.
  const a = hfNs(c), b = j === c && jsNs(c);
  if (a) hfNonstarters.push(cp);
  if (a && !b) throw new Error(`HF treats U+${cp.toString(16)} as a non-starter, this engine does not`);
  if (b && !a) starter.push(cp);
}
// The engine's NFD must order every pair of HF non-starters as HF does (same relative ccc).
for (const x of hfNonstarters) {
  for (const y of hfNonstarters) {
    const s = String.fromCodePoint(x) + String.fromCodePoint(y);
    if (nfd.normalizeString(s) !== s.normalize('NFD')) throw new Error(`U+${x.toString(16)} U+${y.toString(16)} ordered differently`);
  }
}
console.log('nfd keep', nfdKeep.length, 'hf starters', starter.length, 'hf non-starters', hfNonstarters.length);

const hex = (a) => a.map((x) => (Array.isArray(x) ? x[0] : x).toString(16)).join(' ');
for (const k of Object.keys(diff)) console.log(k, diff[k].length, hex(diff[k]).slice(0, 1500));
// The generated file covers control, punctuation and accent stripping; whitespace and lowercasing must agree.
if (diff.ws.length > 0 || diff.lower.length > 0 || hf.control.some((x) => x < 0)) {
  throw new Error('HF differs from this engine on whitespace or lowercasing: extend unicode-tables.ts first');
}
// strip: is hf result == js result but with some chars kept?
let kinds = {};
for (const [cp, js, h] of diff.strip) {
  const c = String.fromCodePoint(cp);
  const nfd = c.normalize('NFD');
  const k = h === c ? 'keep' : h === nfd ? 'nfd-nofilter' : 'other';
  kinds[k] = (kinds[k]||0)+1;
  if (k === 'other') console.log(cp.toString(16), JSON.stringify(js), JSON.stringify(h), [...h].map(x=>x.codePointAt(0).toString(16)), [...nfd].map(x=>x.codePointAt(0).toString(16)));
}
console.log(kinds);
const ranges = (arr) => { const a=[...arr].sort((x,y)=>x-y); const r=[]; for (const x of a) { if (r.length && r[r.length-1][1]===x-1) r[r.length-1][1]=x; else r.push([x,x]); } return r; };
const fmt = (arr) => { const r = ranges(arr).flatMap(([a,b])=>[a,b]).map(x=>'0x'+x.toString(16)); let s='', line='  '; for (const x of r) { if (line.length + x.length > 110) { s += line.trimEnd() + '\n'; line = '  '; } line += x + ', '; } return s + line.trimEnd(); };
const notCtl = diff.control; 
const extraP = diff.punct.filter(cp=>H.punct.has(cp)), notP = diff.punct.filter(cp=>!H.punct.has(cp));
const keep = diff.strip.filter(([cp,,h])=>h===String.fromCodePoint(cp)).map(x=>x[0]);
const extraMn = diff.strip.filter(([cp,,h])=>h!==String.fromCodePoint(cp)).map(x=>x[0]);
const src = `// GENERATED by probing HF tokenizers 0.22 (Rust, via @anush008/tokenizers 0.6.0) for every code point and
// comparing with the JavaScript engine's Unicode 17 property tables (Node 20, ICU 78). HF's BertNormalizer and
// BertPreTokenizer classify characters with the \`unicode_categories\` crate, whose tables predate Unicode 10, and strip
// accents with \`unicode-normalization-alignments\`; characters encoded since then are classified differently. These
// lists are the differences, as inclusive [start, end] code point ranges, so that \\p{...} + these lists = HF.

/** JS says Cc/Cf/Co, HF does not remove the character (format characters added after HF's tables). */
export const HF_NOT_CONTROL: readonly number[] = [
${fmt(notCtl)}
];

/** HF treats these as punctuation although Unicode 17 does not (recategorised since). */
export const HF_EXTRA_PUNCT: readonly number[] = [
${fmt(extraP)}
];

/** Unicode 17 punctuation that HF does not split (added after HF's tables). */
export const HF_NOT_PUNCT: readonly number[] = [
${fmt(notP)}
];

/** Characters HF's strip-accents (NFD + drop Mn) leaves unchanged although Unicode 17 would change them. */
export const HF_STRIP_KEEP: readonly number[] = [
${fmt(keep)}
];

/** Characters HF's strip-accents drops although Unicode 17 classifies them as Mc. */
export const HF_STRIP_DROP: readonly number[] = [
${fmt(extraMn)}
];

/** Characters HF's NFD leaves whole although this engine decomposes them (encoded after Unicode 9). */
export const HF_NFD_KEEP: readonly number[] = [
${fmt(nfdKeep)}
];

/** Non-starters of this engine (canonical combining class > 0) that HF's NFD treats as starters (class 0). */
export const HF_STARTER: readonly number[] = [
${fmt(starter)}
];
`;
writeFileSync(join(here, '../src/unicode-tables.ts'), src);
