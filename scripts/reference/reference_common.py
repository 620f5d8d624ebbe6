"""Pieces the reference scripts share: importing upstream code from scratch checkouts with stand-ins
for modules this machine lacks, java.util.Random (to replay the Java side's draws), CLIP scoring on
the tiny TorchScript models, sha256 of model files, the commit of a mirror.

Nothing here computes a loss the Java side is compared against by itself being Java's code: the
scoring follows openai/CLIP's and big-sleep's conventions (CLIP normalisation constants from
openai/CLIP's ``_transform``, legacy nearest resize to 224 as big-sleep's ``F.interpolate``).
"""
import hashlib
import math
import subprocess
import sys
import types
from pathlib import Path

import torch
import torch.nn.functional as F

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)  # openai/CLIP clip.py _transform
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
CLIP_INPUT = 224


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def git_head(git_dir):
    try:
        return subprocess.run(["git", "--git-dir", str(git_dir), "rev-parse", "HEAD"],
                              check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def import_openai_clip(checkout):
    """``import clip`` from a scratch checkout of openai/CLIP.

    Stand-ins, only for imports that fail here and never for anything the tokenizer computes:
    ``ftfy.fix_text`` = identity (always: ClipTokenizer's contract is CLIP without ftfy, see
    tokenizer_golden.py), ``packaging`` from setuptools' vendored copy, and empty ``torchvision``
    transforms / ``tqdm`` (used only by ``clip.load``'s preprocessing and download, never called).
    """
    sys.modules["ftfy"] = types.SimpleNamespace(fix_text=lambda text: text)
    try:
        import packaging.version  # noqa: F401
    except ImportError:
        from pkg_resources.extern import packaging
        sys.modules["packaging"] = packaging
        sys.modules["packaging.version"] = packaging.version
    try:
        import torchvision.transforms  # noqa: F401
    except ImportError:
        tv = types.ModuleType("torchvision")
        transforms = types.ModuleType("torchvision.transforms")
        for name in ("Compose", "Resize", "CenterCrop", "ToTensor", "Normalize", "InterpolationMode"):
            setattr(transforms, name, type(name, (), {"BICUBIC": None}))
        tv.transforms = transforms
        sys.modules["torchvision"] = tv
        sys.modules["torchvision.transforms"] = transforms
    try:
        import tqdm  # noqa: F401
    except ImportError:
        sys.modules["tqdm"] = types.SimpleNamespace(tqdm=None)
    sys.path.insert(0, str(Path(checkout).resolve()))
    import clip
    return clip


def imagenet_classes(checkout):
    """The 1000 class names as openai/CLIP publishes them (its ImageNet prompt-engineering notebook)."""
    import json
    notebook = json.loads((Path(checkout) / "notebooks" / "Prompt_Engineering_for_ImageNet.ipynb").read_text())
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if source.lstrip().startswith("imagenet_classes = "):
            namespace = {}
            exec(source, namespace)  # the cell is a single list literal
            names = namespace["imagenet_classes"]
            assert len(names) == 1000, len(names)
            return names
    raise SystemExit("imagenet_classes not found in openai/CLIP's notebook")


def tokens(clip, text):
    """openai/CLIP's ``clip.tokenize`` as int64 (what the TorchScript text encoder takes)."""
    return clip.tokenize(text).to(torch.long)


def clip_input(images01):
    """(N,3,S,S) in [0,1] -> CLIP-normalised (N,3,224,224), legacy nearest resize (big-sleep's)."""
    resized = F.interpolate(images01, size=(CLIP_INPUT, CLIP_INPUT), mode="nearest")
    mean = torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CLIP_STD).view(1, 3, 1, 1)
    return (resized - mean) / std


def cosine(text, images):
    """Cosine of one text embedding (1,D) with each image embedding (N,D): shape (N,)."""
    return (images @ text.t()).squeeze(1) / (images.norm(dim=1) * text.norm())


class JavaRandom:
    """java.util.Random, bit for bit: the 48-bit LCG, nextInt(bound), nextDouble, nextBoolean and
    the polar-method nextGaussian (StrictMath.sqrt/log; math.sqrt is exact, math.log agrees with
    fdlibm's on the values met here, and every value is cast to float32 afterwards)."""

    MULTIPLIER = 0x5DEECE66D
    MASK = (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ self.MULTIPLIER) & self.MASK
        self._spare = None

    def next(self, bits):
        self.seed = (self.seed * self.MULTIPLIER + 0xB) & self.MASK
        value = (self.seed >> (48 - bits)) & 0xFFFFFFFF  # Java's (int) cast: the low 32 bits, signed
        return value - (1 << 32) if value >= 1 << 31 else value

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * (1.0 / (1 << 53))

    def next_gaussian(self):
        if self._spare is not None:
            value, self._spare = self._spare, None
            return value
        while True:
            v1 = 2 * self.next_double() - 1
            v2 = 2 * self.next_double() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        multiplier = math.sqrt(-2 * math.log(s) / s)
        self._spare = v2 * multiplier
        return v1 * multiplier

    def gaussians(self, n):
        """Gaussians.standard: n draws, each cast to float32."""
        return torch.tensor([self.next_gaussian() for _ in range(n)], dtype=torch.float64).to(torch.float32)
