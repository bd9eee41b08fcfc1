#!/usr/bin/env bash
# Packs TypeScript bench scripts for a GPU machine that has no Node and no Vulkan/EGL loader (e.g. a CUDA
# container): each entry bundled to one .mjs, the `webgpu` package (Dawn), tfjs's .wasm files, the node binary,
# and Debian's Vulkan loader + libglvnd (NVIDIA's Vulkan ICD needs libGLdispatch). Output: .bertkit-cache/gpu.
#   scripts/pack-gpu.sh packages/encoder/bench/forward.ts [more entries...]
# On the GPU machine:
#   cd .bertkit-cache/gpu && xz -d node.xz && chmod +x node && xz -dc dawn.node.xz > node_modules/webgpu/dist/linux-x64/dawn.node
#   LD_LIBRARY_PATH=$PWD/lib:/usr/local/nvidia/lib64 ./node forward.mjs
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
O=$root/.bertkit-cache/gpu
rm -rf "$O" && mkdir -p "$O/node_modules/webgpu/dist/linux-x64" "$O/lib"
esbuild=$(readlink -f "$root/packages/backend/node_modules/.bin/esbuild")
for entry in "$@"; do
  # ESM bundle; tfjs-backend-wasm's emscripten loader wants CommonJS's require/__dirname
  (cd "$(dirname "$entry")" && "$esbuild" "$root/$entry" --bundle --platform=node --format=esm \
    --outfile="$O/$(basename "${entry%.ts}").mjs" --log-level=warning --conditions=node \
    --banner:js="import { createRequire as __cr } from 'module'; import { fileURLToPath as __f } from 'url'; import { dirname as __d } from 'path'; const require = __cr(import.meta.url); const __filename = __f(import.meta.url); const __dirname = __d(__filename);")
done
W=$(readlink -f "$root/packages/backend/node_modules/webgpu")
cp "$W/package.json" "$W/index.js" "$O/node_modules/webgpu/"
xz -T2 -1 -c "$W/dist/linux-x64/dawn.node" > "$O/dawn.node.xz"
cp "$root"/packages/backend/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$O/"
xz -T2 -1 -c "$(readlink -f "$(command -v node)")" > "$O/node.xz"
T=$(mktemp -d)
(cd "$T" && apt-get download libvulkan1 libegl1 libglvnd0 libgles2 >/dev/null && for d in *.deb; do dpkg-deb -x "$d" x; done)
L="$T/x/usr/lib/x86_64-linux-gnu"
cp -L "$L/libvulkan.so.1" "$L/libEGL.so.1" "$L/libGLESv2.so.2" "$L/libGLdispatch.so.0" "$O/lib/"
cp -L "$L/libEGL.so.1" "$O/lib/libEGL.so" # Dawn's OpenGL ES backend opens the unversioned name
rm -rf "$T"
du -sh "$O"
