#!/usr/bin/env python3
"""Golden reference for imagine-bot's ``adam`` strategy on StyleGAN (seed 003: CLIP + StyleGAN,
gradient descent on w), driven by NVlabs/stylegan2-ada-pytorch's own mapping-network code.

What is theirs and what is ours
-------------------------------
The tiny StyleGAN in models/tiny (stylegan-mapping.pt, stylegan-synthesis.pt) is a small random-weight
stand-in written by scripts/make_tiny_models.py; it is NOT stylegan2-ada's architecture (no modulated
convolutions, no per-layer ws), so it cannot be rebuilt from their code. Instead their code loads our
TorchScript files:

  * mapping: a ``training.networks.MappingNetwork`` built by their constructor (z_dim 512, c_dim 0,
    w_dim 512, num_ws 1, one layer) whose layer ``fc0`` is replaced by stylegan-mapping.pt. Their
    ``forward`` then does what it does for every StyleGAN2: ``normalize_2nd_moment(z)`` (the tiny mapping
    normalises once more, which changes nothing above 1e-8), the layer, the broadcast to ws, and the
    truncation ``w_avg.lerp(w, psi)``;
  * w_avg: as their ``projector.py`` computes it, the mean of ``G.mapping(z_samples, None)`` over samples
    (projector.py: 10000 z from numpy's RandomState(123); here the 1024 z imagine-bot draws from
    java.util.Random(0x57A71E6A11), replayed bit for bit, so both sides start from the same w_avg);
  * synthesis: stylegan-synthesis.pt called directly on w (the tiny file takes one w per image);
  * optimisation: ``torch.optim.Adam([w], betas=(0.9, 0.999), lr)`` on w, as projector.py optimises
    ``w_opt`` (without its learning-rate ramp, noise regularisation or VGG target: the loss here is seed
    003's CLIP loss);
  * loss: -100 * sum over prompts of weight * mean over cutouts of cos(text, image), cutouts cut by the
    recorded boxes (big-sleep's sampling, scripts/reference/bigsleep_reference.py ``sample_boxes``),
    legacy nearest resize to 224 and CLIP normalisation (openai/CLIP's constants); prompts tokenised by
    openai/CLIP's ``clip.tokenize`` and embedded by clip-text.pt.

The starting z is the one imagine-bot draws for a seed (java.util.Random(seed).nextGaussian(), 512
times, cast to float32), so the Java test starts from the seed and checks the truncated start too.

How to run (Debian python with torch 1.13 and python3-regex):
    mkdir -p /tmp/sg2 /tmp/clip
    git --git-dir=/work/.mirror/NVlabs+stylegan2-ada-pytorch/repo archive HEAD | tar -x -C /tmp/sg2
    git --git-dir=/work/.mirror/openai+CLIP/repo archive HEAD | tar -x -C /tmp/clip
    /usr/bin/python3 scripts/reference/stylegan_reference.py --stylegan /tmp/sg2 --clip /tmp/clip \\
        --models models/tiny --out src/test/resources/golden/stylegan-tiny.json
"""
import argparse
import json
import math
import sys
from pathlib import Path

import torch

import reference_common as common
from bigsleep_reference import sample_boxes

DEFAULT_MIRROR = "/work/.mirror/NVlabs+stylegan2-ada-pytorch/repo"
MODEL_FILES = ("clip-image.pt", "clip-text.pt", "stylegan-mapping.pt", "stylegan-synthesis.pt")
Z_DIM = 512
W_DIM = 512
IMAGE_SIZE = 64
MEAN_SAMPLES = 1024           # StyleGanGenerator.MEAN_SAMPLES
MEAN_SEED = 0x57A71E6A11      # StyleGanGenerator.MEAN_SEED
LOSS_COEF = 100


def their_mapping(stylegan_checkout, mapping_file):
    sys.path.insert(0, str(Path(stylegan_checkout).resolve()))
    from training.networks import MappingNetwork
    mapping = MappingNetwork(z_dim=Z_DIM, c_dim=0, w_dim=W_DIM, num_ws=1, num_layers=1)
    mapping.fc0 = torch.jit.load(str(mapping_file)).eval()  # our layers inside their network
    mapping.eval()  # eval: their forward must not update w_avg
    return mapping


def optimise(start, boxes, synthesis, clip_image, targets, lr):
    """Adam on w from ``start``; the loss of each step, before its update."""
    w = start.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([w], betas=(0.9, 0.999), lr=lr)
    losses = []
    for step_boxes in boxes:
        image = (synthesis(w) + 1) / 2
        cut = torch.cat([common.clip_input(image[:, :, top:top + size, left:left + size])
                         for size, top, left in step_boxes])
        embeddings = clip_image(cut)
        loss = sum(-LOSS_COEF * weight * common.cosine(text, embeddings).mean() for text, weight in targets)
        losses.append({"total": loss.item(), "sim": loss.item()})
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert all(math.isfinite(row["total"]) for row in losses)
    return losses


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stylegan", required=True, help="scratch checkout of NVlabs/stylegan2-ada-pytorch")
    ap.add_argument("--stylegan-git", default=DEFAULT_MIRROR)
    ap.add_argument("--clip", required=True, help="scratch checkout of openai/CLIP (tokenizer)")
    ap.add_argument("--models", default="models/tiny")
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--cutouts", type=int, default=8)
    ap.add_argument("--seed", type=int, default=4, help="java.util.Random seed of the starting z")
    ap.add_argument("--box-seed", type=int, default=404)
    ap.add_argument("--psi", type=float, default=0.7, help="truncation psi (engine.styleTruncation)")
    ap.add_argument("--lr", type=float, default=0.07)
    ap.add_argument("--text", default="a portrait photo of a smiling woman")
    ap.add_argument("--text-min", default="blurry")
    args = ap.parse_args()
    torch.set_num_threads(1)

    models = Path(args.models)
    clip = common.import_openai_clip(args.clip)
    mapping = their_mapping(args.stylegan, models / "stylegan-mapping.pt")
    synthesis = torch.jit.load(str(models / "stylegan-synthesis.pt")).eval()
    clip_image = torch.jit.load(str(models / "clip-image.pt")).eval()
    clip_text = torch.jit.load(str(models / "clip-text.pt")).eval()

    with torch.no_grad():
        samples = common.JavaRandom(MEAN_SEED).gaussians(MEAN_SAMPLES * Z_DIM).view(MEAN_SAMPLES, Z_DIM)
        mapping.w_avg.copy_(mapping(samples, None)[:, 0].mean(dim=0))  # projector.py's w_avg
        z = common.JavaRandom(args.seed).gaussians(Z_DIM).view(1, Z_DIM)
        start = mapping(z, None, truncation_psi=args.psi)[:, 0]  # their w_avg.lerp(w, psi)
        prompts, targets = [], []
        for text, weight in ((args.text, 1.0), (args.text_min, -1.0)):
            tokens = common.tokens(clip, text)
            targets.append((clip_text(tokens), weight))
            prompts.append({"text": text, "weight": weight, "tokens": tokens[0].tolist()})

    boxes = sample_boxes(args.steps, args.cutouts, args.box_seed, IMAGE_SIZE)
    losses = optimise(start, boxes, synthesis, clip_image, targets, args.lr)
    # A fair golden needs a path that float rounding cannot split: on the tiny random models a
    # max/leaky-ReLU kink can send two runs 1e-7 apart onto different paths (seed 3 splits at step 24).
    # The same loop from a start moved by 1e-6 (relative) must stay within a tenth of the tolerance.
    noise = torch.randn(start.shape, generator=torch.Generator().manual_seed(0))
    moved = optimise(start * (1 + 1e-6 * noise), boxes, synthesis, clip_image, targets, args.lr)
    sensitivity = max(abs(a["total"] - b["total"]) / max(1e-3 * abs(a["total"]), 1e-5)
                      for a, b in zip(losses, moved))
    if sensitivity > 0.1:
        raise SystemExit(f"seed {args.seed} / box seed {args.box_seed}: a 1e-6 nudge of the start moves a loss "
                         f"by {sensitivity:.2f} of the tolerance; choose another seed")

    golden = {
        "source": f"NVlabs/stylegan2-ada-pytorch {common.git_head(args.stylegan_git)} "
                  "(training.networks.MappingNetwork forward + truncation, projector.py w_avg and Adam on w)",
        "torch": torch.__version__,
        "models": {name: common.sha256(models / name) for name in MODEL_FILES},
        "imageSize": IMAGE_SIZE,
        "seed": args.seed,
        "psi": args.psi,
        "lr": args.lr,
        "cutouts": args.cutouts,
        "steps": args.steps,
        "boxSeed": args.box_seed,
        "nudgedStartDeviation": sensitivity,
        "prompts": prompts,
        "initW": start[0].tolist(),
        "boxes": boxes,
        "losses": losses,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    print(f"wrote {out}: loss {losses[0]['total']!r} -> {losses[-1]['total']!r}")


if __name__ == "__main__":
    main()
