#!/usr/bin/env python3
"""Golden reference for imagine-bot's Big Sleep loop, computed by Big Sleep's OWN loss code.

What it does
------------
Imports lucidrains/big-sleep (``big_sleep.big_sleep``) from a scratch checkout and runs its
``BigSleep.forward`` -- the code that computes lat_loss, cls_loss and sim_loss -- on the tiny
TorchScript models in models/tiny instead of the real CLIP / BigGAN weights. The optimisation loop
is ``Imagine.train_step`` with gradient_accumulate_every=1:

    out, losses = bs(encoded_max_list, encoded_min_list)
    loss = sum(losses); loss.backward(); optimizer.step(); latents.update(); optimizer.zero_grad()

with Adam(lr=0.07, default betas/eps) over the Latents' parameters (normu, cls) and big-sleep's EMA
wrapper (decay 0.99). Everything random is fixed and written to the JSON so that the Java engine
can replay exactly the same run:

  * initial latents: drawn once after ``torch.manual_seed(seed)``: normu ~ N(0,1) [5x128] then
    cls ~ N(-3.9, 0.3) [5x1000], float32 (big-sleep's own Latents() init order and distributions);
  * cutout boxes: for each step and cutout one box sampled exactly like big-sleep does
    (size = int(64 * N(0.8, 0.3).clip(0.5, 0.95)) in float32 arithmetic, from a torch.Generator
    seeded with box_seed; offset_x, offset_y = random.randint(0, 64 - size) from
    random.Random(box_seed)). ``big_sleep.big_sleep.rand_cutout`` is replaced by a function that
    returns ``image[:, :, top:top+size, left:left+size]`` for the next recorded box
    (top = offset_x indexes dim 2, left = offset_y indexes dim 3, as in big-sleep). The ``size``
    argument that BigSleep.forward passes (drawn from torch's global RNG) is deliberately IGNORED:
    the recorded box alone decides the cutout. Nothing else in the loop uses that RNG.

Big-sleep's constructor is bypassed (it would download CLIP and BigGAN weights): the BigSleep
instance is built with ``BigSleep.__new__`` and given loss_coef=100, image_size=64,
num_cutouts=cutn, nearest interpolation, no center bias, no experimental resample, a perceptor
whose ``encode_image`` is clip-image.pt, big-sleep's own CLIP normaliser (``clip._transform()``,
what ``clip.load`` returns) and a stand-in for big-sleep's ``Model`` whose ``latents`` is
big-sleep's own ``EMA(Latents(5, 1000, 128), 0.99)`` and whose forward is
``(biggan.pt(normu, sigmoid(cls), 1.0) + 1) / 2``. Prompts are tokenised with big-sleep's
``clip.tokenize`` and encoded with clip-text.pt.

Importing big-sleep asserts CUDA, so ``torch.cuda.is_available`` is monkeypatched to return True;
nothing is ever moved to CUDA. Modules that are missing here and only needed for weight download
or text cleanup (ftfy, boto3, botocore) get minimal stand-ins, only if their import fails
(ftfy.fix_text returns its input unchanged).

How to run (Debian python with torch 1.13)
------------------------------------------
    mkdir -p /tmp/big-sleep && git --git-dir=<mirror of lucidrains/big-sleep> archive HEAD | tar -x -C /tmp/big-sleep
    /usr/bin/python3 scripts/reference/bigsleep_reference.py --big-sleep /tmp/big-sleep \\
        --models models/tiny --out src/test/resources/golden/bigsleep-tiny.json
    # speed: mean ms/step (first step excluded) with 32 cutouts, 2 threads
    /usr/bin/python3 scripts/reference/bigsleep_reference.py --big-sleep /tmp/big-sleep \\
        --models models/tiny --time-steps 20 --cutouts 32

Big-sleep's code is imported from the scratch checkout given by --big-sleep; it is never copied
into or committed to this repository. --big-sleep-git (default: the mirror) is only read for the
commit hash written to "source".
"""
import argparse
import hashlib
import json
import math
import random
import subprocess
import sys
import time
import types
from pathlib import Path

import torch
from torch import nn

DEFAULT_MIRROR = "/work/.mirror/lucidrains+big-sleep/repo"
MODEL_FILES = ("clip-image.pt", "clip-text.pt", "biggan.pt")
IMAGE_SIZE = 64
NUM_LATENTS = 5
NUM_CLASSES = 1000
Z_DIM = 128
LOSS_COEF = 100
EMA_DECAY = 0.99


def install_stand_ins():
    """Stand-in modules, only for imports that fail here (none of them matter for the losses)."""
    try:
        import ftfy  # noqa: F401
    except ImportError:
        ftfy = types.ModuleType("ftfy")
        ftfy.fix_text = lambda text: text  # CLIP's tokenizer only calls fix_text; ASCII prompts are unchanged
        sys.modules["ftfy"] = ftfy
    try:
        import boto3  # noqa: F401
    except ImportError:
        sys.modules["boto3"] = types.ModuleType("boto3")  # biggan.py: S3 weight download only
    try:
        import botocore.exceptions  # noqa: F401
    except ImportError:
        botocore = types.ModuleType("botocore")
        exceptions = types.ModuleType("botocore.exceptions")

        class ClientError(Exception):
            pass

        exceptions.ClientError = ClientError
        botocore.exceptions = exceptions
        sys.modules["botocore"] = botocore
        sys.modules["botocore.exceptions"] = exceptions
    try:
        import requests  # noqa: F401
    except ImportError:
        sys.modules["requests"] = types.ModuleType("requests")


def import_big_sleep(checkout):
    sys.path.insert(0, str(Path(checkout).resolve()))
    install_stand_ins()
    torch.cuda.is_available = lambda: True  # big_sleep.big_sleep asserts CUDA at import; we never use it
    import big_sleep.big_sleep as bsmod
    import big_sleep.clip as bsclip
    from big_sleep.ema import EMA
    return bsmod, bsclip, EMA


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sample_boxes(steps, cutn, box_seed, width=IMAGE_SIZE):
    """Boxes as big-sleep samples them: size from torch normal_ in float32, offsets from random.randint."""
    gen = torch.Generator().manual_seed(box_seed)
    rng = random.Random(box_seed)
    boxes = []
    for _ in range(steps):
        row = []
        for _ in range(cutn):
            size = int(width * torch.zeros(1,).normal_(mean=.8, std=.3, generator=gen).clip(.5, .95))
            top = rng.randint(0, width - size)   # big-sleep's offset_x, slices dim 2
            left = rng.randint(0, width - size)  # big-sleep's offset_y, slices dim 3
            row.append([size, top, left])
        boxes.append(row)
    return boxes


class Perceptor(nn.Module):
    def __init__(self, clip_image):
        super().__init__()
        self.clip_image = clip_image

    def encode_image(self, image):
        return self.clip_image(image)


class TinyModel(nn.Module):
    """Shaped like big_sleep.big_sleep.Model: .latents is big-sleep's EMA(Latents), forward -> [0,1] image."""

    def __init__(self, biggan, latents):
        super().__init__()
        self.biggan = biggan
        self.latents = latents

    def forward(self):
        normu, classes = self.latents()
        out = self.biggan(normu, classes, torch.tensor(1.0))
        return (out + 1) / 2


def build(bsmod, bsclip, EMA, models, cutn, seed):
    clip_image = torch.jit.load(str(models / "clip-image.pt"))
    biggan = torch.jit.load(str(models / "biggan.pt"))
    clip_image.eval()
    biggan.eval()

    latents = bsmod.Latents(num_latents=NUM_LATENTS, num_classes=NUM_CLASSES, z_dim=Z_DIM)
    torch.manual_seed(seed)
    init_normu = torch.zeros(NUM_LATENTS, Z_DIM).normal_(std=1)
    init_cls = torch.zeros(NUM_LATENTS, NUM_CLASSES).normal_(mean=-3.9, std=.3)
    with torch.no_grad():
        latents.normu.copy_(init_normu)
        latents.cls.copy_(init_cls)
    ema = EMA(latents, EMA_DECAY)  # wraps after the overwrite, so its shadow copies start from these values

    bs = bsmod.BigSleep.__new__(bsmod.BigSleep)
    nn.Module.__init__(bs)
    bs.loss_coef = LOSS_COEF
    bs.image_size = IMAGE_SIZE
    bs.num_cutouts = cutn
    bs.experimental_resample = False
    bs.center_bias = False
    bs.interpolation_settings = {'mode': 'nearest'}
    bs.perceptor = Perceptor(clip_image)
    bs.normalize_image = bsclip._transform()  # what big-sleep's clip.load returns as the normaliser
    bs.model = TinyModel(biggan, ema)
    bs.train()
    return bs, init_normu, init_cls


def encode_prompts(bsclip, models, text, text_min):
    """Split and encode exactly like Imagine.encode_max_and_min (split on '|', no stripping)."""
    clip_text = torch.jit.load(str(models / "clip-text.pt"))
    clip_text.eval()
    prompts, enc_max, enc_min = [], [], []
    for phrases, weight, dest in ((text, 1.0, enc_max), (text_min, -1.0, enc_min)):
        if phrases is None or phrases == "":
            continue
        for phrase in (phrases.split("|") if "|" in phrases else [phrases]):
            tokens = bsclip.tokenize(phrase)
            with torch.no_grad():
                dest.append(clip_text(tokens).detach())
            prompts.append({"text": phrase, "weight": weight, "tokens": tokens[0].tolist()})
    return prompts, enc_max, enc_min


class BoxFeeder:
    """Replacement for big_sleep.big_sleep.rand_cutout that replays recorded boxes in order."""

    def __init__(self, boxes):
        self.flat = [box for row in boxes for box in row]
        self.used = 0

    def __call__(self, image, size, center_bias=False, center_focus=2):
        # `size` was drawn by BigSleep.forward from torch's global RNG; it is ignored on purpose:
        # the recorded box (size, top, left) alone decides the cutout.
        box_size, top, left = self.flat[self.used]
        self.used += 1
        return image[:, :, top:top + box_size, left:left + box_size]


def run_loop(bs, optimizer, enc_max, enc_min, steps, on_step=None):
    losses_out = []
    for i in range(steps):
        out, losses = bs(enc_max, enc_min)
        loss = sum(losses)
        losses_out.append({"total": loss.item(), "lat": losses[0].item(),
                           "cls": losses[1].item(), "sim": losses[2].item()})
        loss.backward()
        optimizer.step()
        bs.model.latents.update()
        optimizer.zero_grad()
        if on_step is not None:
            on_step(i)
    return losses_out


def git_head(git_dir):
    try:
        return subprocess.run(["git", "--git-dir", str(git_dir), "rev-parse", "HEAD"],
                              check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--big-sleep", required=True, help="scratch checkout of lucidrains/big-sleep (holds big_sleep/)")
    ap.add_argument("--big-sleep-git", default=DEFAULT_MIRROR, help="git dir the checkout came from (for the commit hash)")
    ap.add_argument("--models", default="models/tiny")
    ap.add_argument("--out", help="golden JSON to write")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--cutouts", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1234, help="torch.manual_seed for the initial latents")
    ap.add_argument("--box-seed", type=int, help="seed of the cutout-box generators (default: seed + 1)")
    ap.add_argument("--lr", type=float, default=0.07)
    ap.add_argument("--text", default="a lighthouse in a storm|oil painting")
    ap.add_argument("--text-min", default="blurry")
    ap.add_argument("--threads", type=int, default=1, help="torch threads for the golden run (1: reproducible)")
    ap.add_argument("--time-steps", type=int, help="timing mode: run this many steps, print mean ms/step excl. the first")
    args = ap.parse_args()

    models = Path(args.models)
    box_seed = args.seed + 1 if args.box_seed is None else args.box_seed
    timing = args.time_steps is not None
    steps = args.time_steps if timing else args.steps
    if timing and steps < 2:
        ap.error("--time-steps needs at least 2 steps")
    if not timing and not args.out:
        ap.error("--out is required unless --time-steps is given")
    torch.set_num_threads(2 if timing else args.threads)

    bsmod, bsclip, EMA = import_big_sleep(args.big_sleep)
    bs, init_normu, init_cls = build(bsmod, bsclip, EMA, models, args.cutouts, args.seed)
    prompts, enc_max, enc_min = encode_prompts(bsclip, models, args.text, args.text_min)
    boxes = sample_boxes(steps, args.cutouts, box_seed)
    feeder = BoxFeeder(boxes)
    bsmod.rand_cutout = feeder  # BigSleep.forward looks rand_cutout up in its module globals
    optimizer = torch.optim.Adam(bs.model.latents.model.parameters(), args.lr)

    if timing:
        stamps = []
        t0 = time.perf_counter()
        run_loop(bs, optimizer, enc_max, enc_min, steps, lambda i: stamps.append(time.perf_counter()))
        per_step = [b - a for a, b in zip([t0] + stamps[:-1], stamps)][1:]
        print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, cutouts {args.cutouts}, "
              f"steps {steps}: mean {1000 * sum(per_step) / len(per_step):.2f} ms/step, "
              f"median {1000 * sorted(per_step)[len(per_step) // 2]:.2f} ms/step (first step excluded)")
        return

    losses = run_loop(bs, optimizer, enc_max, enc_min, steps)
    assert feeder.used == steps * args.cutouts, (feeder.used, steps * args.cutouts)
    for row in losses:
        assert all(math.isfinite(v) for v in row.values()), row

    golden = {
        "source": f"lucidrains/big-sleep {git_head(args.big_sleep_git)}",
        "torch": torch.__version__,
        "models": {name: sha256(models / name) for name in MODEL_FILES},
        "imageSize": IMAGE_SIZE,
        "numLatents": NUM_LATENTS,
        "lr": args.lr,
        "cutouts": args.cutouts,
        "steps": steps,
        "seed": args.seed,
        "boxSeed": box_seed,
        "prompts": prompts,
        "initNormu": init_normu.tolist(),
        "initCls": init_cls.tolist(),
        "boxes": boxes,
        "losses": losses,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    print(f"wrote {out}: sim {losses[0]['sim']!r} -> {losses[-1]['sim']!r}, "
          f"total {losses[0]['total']!r} -> {losses[-1]['total']!r}")


if __name__ == "__main__":
    main()
