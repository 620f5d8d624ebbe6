#!/usr/bin/env bash
# Real-size, random-weight models for `bench engine`: CLIP ViT-B/32 and BigGAN-deep-128 (and, with
# --all, BigGAN-deep-256 and StyleGAN2-256) exported by the scripts beside this one with --random,
# into models/random/ (ignored by git) with their manifest models/random/models.yaml; then the
# limit module (one whole adam step in TorchScript) for each generator, by bench_limit.py.
# Upstream code comes from checkouts, never from this repository:
#   CLIP=/tmp/clip BIG_SLEEP=/tmp/big-sleep STYLEGAN=/tmp/stylegan2-ada-pytorch scripts/export/make_random_models.sh [--all]
# Needs Debian's /usr/bin/python3 with python3-torch (or PYTHON=...). Takes minutes per model on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
OUT=models/random
M=$OUT/models.yaml
mkdir -p "$OUT"
: "${CLIP:?set CLIP to a checkout of github.com/openai/CLIP}"
: "${BIG_SLEEP:?set BIG_SLEEP to a checkout of github.com/lucidrains/big-sleep}"
[ -f "$OUT/clip-vit-b32/image.pt" ] || \
  "$PY" scripts/export/export_clip.py --clip-repo "$CLIP" --random --out-dir "$OUT" --manifest "$M"
sizes=(128)
if [ "${1:-}" = "--all" ]; then sizes=(128 256); fi
for s in "${sizes[@]}"; do
  [ -f "$OUT/biggan-deep-$s/generator.pt" ] || \
    "$PY" scripts/export/export_biggan.py --big-sleep "$BIG_SLEEP" --size "$s" --random --out-dir "$OUT" --manifest "$M"
  "$PY" scripts/export/bench_limit.py --generator "$OUT/biggan-deep-$s/generator.pt" \
    --clip-image "$OUT/clip-vit-b32/image.pt" --out "$OUT/biggan-deep-$s/limit-step.pt"
done
if [ "${1:-}" = "--all" ]; then
  : "${STYLEGAN:?set STYLEGAN to a checkout of github.com/NVlabs/stylegan2-ada-pytorch}"
  [ -f "$OUT/stylegan2-256/synthesis.pt" ] || \
    "$PY" scripts/export/export_stylegan.py --stylegan-repo "$STYLEGAN" --random --resolution 256 \
      --id stylegan2-256 --out-dir "$OUT" --manifest "$M"
  "$PY" scripts/export/bench_limit.py --kind stylegan --generator "$OUT/stylegan2-256/synthesis.pt" \
    --clip-image "$OUT/clip-vit-b32/image.pt" --out "$OUT/stylegan2-256/limit-step.pt"
fi
echo "models in $OUT; manifest $M"
