#!/usr/bin/env bash
# Packs bench/webgpu-check.ts for a GPU machine without Node (see scripts/pack-gpu.sh for what travels and how
# to run it there): LD_LIBRARY_PATH=$PWD/lib:/usr/local/nvidia/lib64 ./node webgpu-check.mjs
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec bash scripts/pack-gpu.sh packages/backend/bench/webgpu-check.ts
