#!/usr/bin/env bash
# Rebuilds the one native library the jar carries (see src/main/native/mkl_cpu_path.c): x86-64
# Linux, no libc, no build id, stripped, so the same compiler gives the same bytes. The built file is
# committed, so building the project needs no C compiler; run this only after changing the source.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=src/main/resources/native/linux-x86_64/libimagine-mkl-cpu-path.so
mkdir -p "$(dirname "$out")"
${CC:-gcc} -shared -fPIC -O2 -nostdlib -s -Wl,--build-id=none -Wl,-z,noexecstack \
  -Wl,-z,max-page-size=4096 -Wl,-z,noseparate-code \
  -o "$out" src/main/native/mkl_cpu_path.c
sha256sum "$out"
