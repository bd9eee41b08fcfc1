#!/usr/bin/env bash
# System packages for the tests that need more than Node: Mesa EGL/GLES (Dawn's OpenGL ES backend on llvmpipe in
# Node) and Debian's Chromium (headless WebGPU on SwiftShader) for the WebGPU paths, and Debian's PyTorch
# (python3-torch, 1.13 CPU) for the bertkit → PyTorch → bertkit round trip (packages/pretraining
# torch-roundtrip.test.ts). Installs only what is missing; needs root and apt (as on CI), else skips.
# BERTKIT_TORCH=0 leaves PyTorch out (it is ~150 MB of .debs, ~2 min to install; that test then skips).
# OpenBLAS comes with it: Debian's torch is built with BLAS_INFO=generic and calls whatever libblas.so.3 points to,
# which is the reference (netlib) BLAS unless an optimised one is installed — 3× slower as a speed peer.
set -u
need=()
for pkg in libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${BERTKIT_TORCH:-1}" != 0 ]; then
  for pkg in python3-torch libopenblas0-pthread; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${need[*]} (not root or no apt): the WebGPU / PyTorch tests that need them will skip" >&2; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
  echo "system-deps: apt-get install ${need[*]} failed: the WebGPU / PyTorch tests that need them will skip" >&2; exit 0; }
