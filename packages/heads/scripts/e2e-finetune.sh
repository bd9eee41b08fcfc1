#!/usr/bin/env bash
# End-to-end fine-tuning on real data with `bert finetune` (random-init tiny BERT, L2 H128, uncased vocabulary):
# Brown POS (embedded corpus), SST-2 and MRPC (../shared/data/glue). Prints each dev score next to its baseline.
# Usage: packages/heads/scripts/e2e-finetune.sh [out-dir]   (needs apps/cli built; wasm backend; ~10+ min on 2 busy cores)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
SHARED="${BERTKIT_SHARED:-$ROOT/../shared}"
OUT="${1:-/tmp/bertkit-e2e-finetune}"
BERT="node $ROOT/apps/cli/dist/bin.js"
VOCAB="$SHARED/models/bert-base-uncased-tokenizer"
echo "machine: $(node -p 'os=require("os");os.cpus()[0].model+" × "+os.cpus().length+", node "+process.version')"
$BERT finetune brown-pos --vocab "$VOCAB" --preset tiny --out "$OUT/brown-pos" --max-train 3200 --max-dev 1000 \
  --max-steps 100 --lr 1e-3 --seed 1
$BERT finetune glue:sst2 --vocab "$VOCAB" --preset tiny --out "$OUT/sst2" --train "$SHARED/data/glue/SST-2/train.tsv" \
  --dev "$SHARED/data/glue/SST-2/dev.tsv" --max-train 3200 --max-steps 100 --lr 1e-3 --seed 1
$BERT finetune glue:mrpc --vocab "$VOCAB" --preset tiny --out "$OUT/mrpc" --train "$SHARED/data/glue/MRPC/train.tsv" \
  --dev "$SHARED/data/glue/MRPC/dev.tsv" --max-steps 60 --lr 1e-3 --seed 1
