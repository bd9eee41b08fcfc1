#!/usr/bin/env bash
# Packs bench/webgpu-check.ts for a GPU machine that has no Node and no Vulkan/EGL loader (e.g. a CUDA container):
# one bundled script, the `webgpu` package (Dawn), the .wasm files, the node binary, and Debian's Vulkan loader and
# libglvnd (NVIDIA's Vulkan ICD, libGLX_nvidia, needs libGLdispatch). Output: .bertkit-cache/gpu (git-ignored).
# On the GPU machine:
#   cd .bertkit-cache/gpu && xz -d node.xz && chmod +x node && xz -dc dawn.node.xz > node_modules/webgpu/dist/linux-x64/dawn.node
#   LD_LIBRARY_PATH=$PWD/lib:/usr/local/nvidia/lib64 ./node check.mjs
set -euo pipefail
cd "$(dirname "$0")/.."
O=.bertkit-cache/gpu
rm -rf "$O" && mkdir -p "$O/node_modules/webgpu/dist/linux-x64" "$O/lib"
# ESM bundle: tfjs-backend-wasm's emscripten loader wants CommonJS's require/__dirname
pnpm exec esbuild bench/webgpu-check.ts --bundle --platform=node --format=esm --outfile="$O/check.mjs" --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'module'; import { fileURLToPath as __f } from 'url'; import { dirname as __d } from 'path'; const require = __cr(import.meta.url); const __filename = __f(import.meta.url); const __dirname = __d(__filename);"
W=$(readlink -f node_modules/webgpu)
cp "$W/package.json" "$W/index.js" "$O/node_modules/webgpu/"
xz -T2 -1 -c "$W/dist/linux-x64/dawn.node" > "$O/dawn.node.xz"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$O/"
xz -T2 -1 -c "$(readlink -f "$(command -v node)")" > "$O/node.xz"
T=$(mktemp -d)
(cd "$T" && apt-get download libvulkan1 libegl1 libglvnd0 libgles2 >/dev/null && for d in *.deb; do dpkg-deb -x "$d" x; done)
L="$T/x/usr/lib/x86_64-linux-gnu"
cp -L "$L/libvulkan.so.1" "$L/libEGL.so.1" "$L/libGLESv2.so.2" "$L/libGLdispatch.so.0" "$O/lib/"
cp -L "$L/libEGL.so.1" "$O/lib/libEGL.so" # Dawn's OpenGL ES backend opens the unversioned name
rm -rf "$T"
du -sh "$O"
