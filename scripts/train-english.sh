#!/usr/bin/env bash
# Reproduces models/english, the shipped English BERT: a WordPiece vocabulary and `bert pretrain --recipe
# small-compute` on the Brown corpus + the Project Gutenberg books of ../shared/data/pretrain, with Mary Shelley's
# Frankenstein (pg84.txt) held out for evaluation. Deterministic for a given backend (seeded data, masks and init).
# Five stages, each starting from the one before (--init) with a fresh schedule and fresh masking of the text:
# 5,000 steps from scratch, 5,000 more (seed 23456, 4 masking passes), both on one tfjs wasm thread (1 h 54 min +
# 1 h 52 min on a 2-core AMD EPYC), 18,000 on the ONNX Runtime engine with one thread (seed 34567, 8 passes; needs
# onnxruntime-node), then the 2-layer model stacked to 4 layers (--init-layers 4: layer i starts as layer i mod 2)
# and 11,000 steps more on ORT (seed 45679, 8 passes), then 8,000 more at a peak learning rate of 1e-3 (seed 45680,
# 8 passes); see models/english/README.md.
#   bash scripts/train-english.sh [work dir, default .cache/english]     then copy the files it names.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${BERTKIT_SHARED:-$ROOT/../shared}"
WORK="${1:-$ROOT/.cache/english}"
BERT="node $ROOT/apps/cli/dist/bin.js"
HELDOUT="$SHARED/data/pretrain/gutenberg-books/pg84.txt"

mkdir -p "$WORK/corpus"
cd "$WORK"
# the training text: every book but the held-out one (file names fix the reading order, hence the data order)
for f in "$SHARED"/data/pretrain/gutenberg-books/*.txt "$SHARED"/data/pretrain/nltk-gutenberg-2006/*.txt; do
  [ "$f" -ef "$HELDOUT" ] || ln -sf "$f" "corpus/$(basename "$f")"
done

$BERT vocab --corpus brown,corpus --corpus-format paragraphs --gutenberg --vocab-size 8000 --out vocab
$BERT pretrain --recipe small-compute --corpus brown,corpus --corpus-format paragraphs --gutenberg --vocab vocab \
  --out stage1 --preset tiny --steps 5000 --batch-size 32 --max-seq-length 128 --dupe-factor 2 --log-every 10 --backend wasm
$BERT pretrain --init stage1 --recipe small-compute --corpus brown,corpus --corpus-format paragraphs --gutenberg --vocab vocab \
  --out stage2 --steps 5000 --batch-size 32 --max-seq-length 128 --dupe-factor 4 --seed 23456 --log-every 10 --backend wasm
$BERT pretrain --init stage2 --recipe small-compute --corpus brown,corpus --corpus-format paragraphs --gutenberg --vocab vocab \
  --out stage3 --steps 18000 --batch-size 32 --max-seq-length 128 --dupe-factor 8 --seed 34567 --log-every 10 --engine ort --threads 1
$BERT pretrain --init stage3 --init-layers 4 --recipe small-compute --corpus brown,corpus --corpus-format paragraphs --gutenberg --vocab vocab \
  --out stage4 --steps 11000 --batch-size 32 --max-seq-length 128 --dupe-factor 8 --seed 45679 --log-every 10 --engine ort --threads 1
$BERT pretrain --init stage4 --recipe small-compute --lr 1e-3 --corpus brown,corpus --corpus-format paragraphs --gutenberg --vocab vocab \
  --out run --steps 8000 --batch-size 32 --max-seq-length 128 --dupe-factor 8 --seed 45680 --log-every 10 --engine ort --threads 1

# held-out numbers for the model card: MLM accuracy (15 % masked, 80/10/10) and one-word cloze vs the bigram baseline
$BERT eval mlm --model run --text "$HELDOUT" --gutenberg --items 2000 --backend wasm
$BERT eval cloze --model run --text "$HELDOUT" --gutenberg --items 1000 --baseline-corpus brown,corpus \
  --save-items run/heldout-cloze.jsonl --backend wasm
# the loss curve of the five stages (stage 2's steps counted on from 5,000, stage 3's from 10,000, stage 4's from 28,000,
# stage 5's from 39,000)
node -e '
const fs = require("fs");
const shift = (f, by) => fs.readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => { const o = JSON.parse(l); if (o.step !== undefined) o.step += by; return JSON.stringify(o); });
const stages = [["stage1", 0], ["stage2", 5000], ["stage3", 10000], ["stage4", 28000], ["run", 39000]];
fs.writeFileSync("training-metrics.jsonl", stages.flatMap(([d, by]) => shift(`${d}/metrics.jsonl`, by)).join("\n") + "\n");
for (const [d, by] of stages) fs.writeFileSync(`${d}-shifted.jsonl`, shift(`${d}/metrics.jsonl`, by).join("\n") + "\n");'
$BERT chart --runs "stage 1=stage1-shifted.jsonl,stage 2 (--init stage 1)=stage2-shifted.jsonl,stage 3 (--init stage 2; ORT engine)=stage3-shifted.jsonl,stage 4 (stage 3 stacked to 4 layers)=stage4-shifted.jsonl,stage 5 (--init stage 4; peak lr 1e-3)=run-shifted.jsonl" \
  --out run/loss.svg --smooth 10 --line "6.65=unigram entropy"
echo "models/english: copy run/{config.json,model.safetensors,vocab.txt,tokenizer.json,tokenizer_config.json,loss.svg,heldout-cloze.jsonl} and training-metrics.jsonl"
