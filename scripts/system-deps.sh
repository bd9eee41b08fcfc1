#!/usr/bin/env bash
# System packages for the WebGPU paths: Mesa EGL/GLES (Dawn's OpenGL ES backend on llvmpipe in Node) and Debian's
# Chromium (headless WebGPU on SwiftShader). Installs only what is missing; needs root (as on CI), else skips.
set -u
need=()
for pkg in libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${need[*]} (not root or no apt): WebGPU tests will skip" >&2; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
  echo "system-deps: apt-get install ${need[*]} failed: WebGPU tests will skip" >&2; exit 0; }
