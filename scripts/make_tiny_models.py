#!/usr/bin/env python3
"""Writes the `tiny` model set: small random-weight TorchScript files with the real interfaces.

The engine is tested on these because real weights cannot be downloaded on CI machines. Each module
keeps the exact input/output contract of the real model it stands in for (see config/models.yaml):

  clip-image.pt          forward(image float[N,3,224,224], CLIP-normalized) -> float[N,512]   (CLIP encode_image)
  clip-text.pt           forward(tokens int64[N,77])                         -> float[N,512]   (CLIP encode_text)
  biggan.pt              forward(z float[L,128], classes float[L,1000], truncation float[])
                                                                             -> float[1,3,S,S] in [-1,1]
                         (BigGAN-deep as big-sleep calls it: one z/class row per generator layer)
  stylegan-mapping.pt    forward(z float[N,512]) -> w float[N,512]
  stylegan-synthesis.pt  forward(w float[N,512]) -> float[N,3,S,S] in [-1,1]
  discriminator.pt       forward(image float[N,3,S,S] in [-1,1]) -> float[N] realism logit
                         (optional role of a generator; StyleGAN2's D has this shape; evolve's 2nd objective)

No batch-norm anywhere: random-weight batch statistics produce NaN (notes/djl.md).
Run with Debian's python3-torch:  /usr/bin/python3 scripts/make_tiny_models.py models/tiny
then put the printed sha256 lines into config/models.yaml. `--only discriminator` writes just that
file (added later; the others stay byte-for-byte as committed). `--only judge-clip` writes just
clip-judge-image.pt and clip-judge-text.pt: a second CLIP with other random weights, so
`bench strategies --judge tiny-clip-judge` scores images with a CLIP the strategies did not optimize against.
"""
import hashlib
import sys
from pathlib import Path

import torch
from torch import nn
import torch.nn.functional as F

EMBED_DIM = 512
Z_DIM = 128
NUM_CLASSES = 1000
BIGGAN_LATENTS = 5  # gen_z row + one row per upsampling block, as BigGAN-deep's per-layer latents
IMAGE_SIZE = 64
TEXT_HASH_BUCKETS = 2048  # the real vocabulary has 49408 ids; hashing keeps the file small


class TinyClipImage(nn.Module):
    """Patchify like ViT-B/32 (stride 32 on 224 -> 7x7), two convs, mean-pool, project to 512."""

    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(3, 48, kernel_size=16, stride=16)
        self.mix = nn.Conv2d(48, 64, kernel_size=3, padding=1)
        self.proj = nn.Linear(64 * 2, EMBED_DIM)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        h = F.gelu(self.patch(image))
        h = F.gelu(self.mix(h))
        pooled = torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], dim=1)
        return self.proj(pooled)


class TinyClipText(nn.Module):
    """Hashed token embeddings, masked mean over the non-padding tokens, an MLP to 512."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(TEXT_HASH_BUCKETS, 64)
        self.position = nn.Parameter(torch.randn(77, 64) * 0.1)
        self.hidden = nn.Linear(64, 128)
        self.proj = nn.Linear(128, EMBED_DIM)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        mask = (tokens != 0).to(torch.float32).unsqueeze(-1)
        e = (self.embed(tokens % TEXT_HASH_BUCKETS) + self.position) * mask
        mean = e.sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return self.proj(torch.tanh(self.hidden(mean)))


class ModulatedUp(nn.Module):
    def __init__(self, cin, cout, cond_dim):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel_size=3, padding=1)
        self.gamma = nn.Linear(cond_dim, cout)
        self.beta = nn.Linear(cond_dim, cout)

    def forward(self, x, cond, truncation):
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        x = self.conv(x)
        g = self.gamma(cond).view(1, -1, 1, 1)
        b = self.beta(cond).view(1, -1, 1, 1)
        return F.leaky_relu(x * (1.0 + truncation * g) + b, 0.2)


class TinyBigGan(nn.Module):
    def __init__(self):
        super().__init__()
        cond = Z_DIM * 2
        self.embeddings = nn.Linear(NUM_CLASSES, Z_DIM, bias=False)
        self.gen_z = nn.Linear(cond, 4 * 4 * 64)
        self.blocks = nn.ModuleList(
            [ModulatedUp(64, 48, cond), ModulatedUp(48, 32, cond), ModulatedUp(32, 24, cond), ModulatedUp(24, 16, cond)]
        )
        self.to_rgb = nn.Conv2d(16, 3, kernel_size=3, padding=1)
        with torch.no_grad():  # default init gives a flat grey image; widen it to a usable range
            self.to_rgb.weight.mul_(24.0)
            self.to_rgb.bias.zero_()

    def forward(self, z: torch.Tensor, classes: torch.Tensor, truncation: torch.Tensor) -> torch.Tensor:
        cond = torch.cat([z, self.embeddings(classes)], dim=1)
        x = self.gen_z(cond[0:1]).view(1, 64, 4, 4)
        i = 1
        for block in self.blocks:
            x = block(x, cond[i], truncation)
            i += 1
        x = x - x.mean(dim=(2, 3), keepdim=True)  # centre the colours so tanh is not saturated
        return torch.tanh(self.to_rgb(x))


class TinyStyleMapping(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(512, 128)
        self.fc2 = nn.Linear(128, 512)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        z = z * torch.rsqrt(z.square().mean(dim=1, keepdim=True) + 1e-8)  # StyleGAN's pixel norm
        return self.fc2(F.leaky_relu(self.fc1(z), 0.2))


class StyleBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.affine = nn.Linear(512, cin)
        self.conv = nn.Conv2d(cin, cout, kernel_size=3, padding=1)

    def forward(self, x, w):
        style = 1.0 + self.affine(w).unsqueeze(-1).unsqueeze(-1)
        x = F.interpolate(x * style, scale_factor=2.0, mode="nearest")
        return F.leaky_relu(self.conv(x), 0.2)


class TinyStyleSynthesis(nn.Module):
    def __init__(self):
        super().__init__()
        self.const = nn.Parameter(torch.randn(1, 48, 4, 4))
        self.blocks = nn.ModuleList([StyleBlock(48, 32), StyleBlock(32, 24), StyleBlock(24, 16), StyleBlock(16, 16)])
        self.to_rgb = nn.Conv2d(16, 3, kernel_size=1)
        with torch.no_grad():
            self.to_rgb.weight.mul_(8.0)

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        x = self.const.expand(w.shape[0], -1, -1, -1)
        for block in self.blocks:
            x = block(x, w)
        return torch.tanh(self.to_rgb(x))


class TinyDiscriminator(nn.Module):
    """Two strided convs, mean-pool, one logit per image, like the tail of StyleGAN2's D."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=4, stride=4)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=4, stride=4)
        self.out = nn.Linear(32, 1)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = F.leaky_relu(self.conv1(image), 0.2)
        x = F.leaky_relu(self.conv2(x), 0.2)
        return self.out(x.mean(dim=(2, 3))).squeeze(1)


def save(module, path, *example):
    module.eval()
    for p in module.parameters():
        p.requires_grad_(False)
    traced = torch.jit.trace(module, example)
    traced.save(str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    print(f"{path.name}: {digest}  ({path.stat().st_size} bytes)")
    return traced


def save_discriminator(out):
    torch.manual_seed(20261126)
    save(TinyDiscriminator(), out / "discriminator.pt", torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE))


def save_judge_clip(out):
    torch.manual_seed(20261201)
    save(TinyClipImage(), out / "clip-judge-image.pt", torch.randn(2, 3, 224, 224))
    save(TinyClipText(), out / "clip-judge-text.pt", torch.randint(0, 49408, (2, 77)))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(args[0] if args else "models/tiny")
    out.mkdir(parents=True, exist_ok=True)
    if "--only" in sys.argv:
        save_judge_clip(out) if "judge-clip" in args else save_discriminator(out)
        return
    torch.manual_seed(20261125)
    save(TinyClipImage(), out / "clip-image.pt", torch.randn(2, 3, 224, 224))
    save(TinyClipText(), out / "clip-text.pt", torch.randint(0, 49408, (2, 77)))
    biggan = save(
        TinyBigGan(),
        out / "biggan.pt",
        torch.randn(BIGGAN_LATENTS, Z_DIM),
        torch.sigmoid(torch.randn(BIGGAN_LATENTS, NUM_CLASSES)),
        torch.tensor(1.0),
    )
    save(TinyStyleMapping(), out / "stylegan-mapping.pt", torch.randn(2, 512))
    style = save(TinyStyleSynthesis(), out / "stylegan-synthesis.pt", torch.randn(2, 512))
    save_discriminator(out)
    save_judge_clip(out)

    with torch.no_grad():  # sanity: images are finite and not saturated
        img = biggan(torch.randn(BIGGAN_LATENTS, Z_DIM), torch.sigmoid(torch.randn(BIGGAN_LATENTS, NUM_CLASSES) - 3.9), torch.tensor(1.0))
        print("biggan out", tuple(img.shape), "mean %.3f std %.3f" % (img.mean().item(), img.std().item()))
        img = style(torch.randn(1, 512))
        print("stylegan out", tuple(img.shape), "mean %.3f std %.3f" % (img.mean().item(), img.std().item()))


if __name__ == "__main__":
    main()
