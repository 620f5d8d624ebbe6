"""The limit `bench engine` compares the Java `adam` step with: one TorchScript module that does the
whole step's computation in libtorch, with no Java between the operations.

    /usr/bin/python3 scripts/export/bench_limit.py --generator models/random/biggan-deep-128/generator.pt \
        --clip-image models/random/clip-vit-b32/image.pt --out models/random/biggan-deep-128/limit-step.pt

forward(z[L,128], class_logits[L,1000], truncation[], boxes int64[N,3] (top, left, size),
        texts[P,D], weights[P]) -> [loss[], similarities[P], grad_z[L,128], grad_class_logits[L,1000]]
With --kind stylegan (the generator is StyleGAN's synthesis.pt):
forward(w[1,W], boxes, texts, weights) -> [loss[], similarities[P], grad_w[1,W]], with no latent
regularizer in the loss (StyleGanGenerator has none).

It is the loss `BigSleepOptimizer` computes (Big Sleep's): classes = sigmoid(logits); image =
(generator(z, classes, truncation) + 1) / 2; every box cropped and resized to 224 (nearest), all
crops in one CLIP forward after CLIP's normalization; loss = lat_loss(z) + cls_loss(classes) -
100 * sum_p w_p * mean cos(text_p, crop); then the gradients of the loss with respect to z and the
logits (torch.autograd.grad, inside the module). The Adam update and the preview are not in it.
Call it with autograd recording on (DJL: forward with training=true).
"""
import argparse
from typing import List

import torch
import torch.nn.functional as F

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


class Similarities(torch.nn.Module):
    """Crops every box of the image, resizes it to 224 (nearest), runs CLIP on all crops in one batch
    and returns each text's mean cosine over the crops, as BigSleepOptimizer does."""

    def __init__(self, clip_image):
        super().__init__()
        self.clip_image = clip_image
        self.register_buffer("mean", torch.tensor(CLIP_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(CLIP_STD).view(1, 3, 1, 1))

    def forward(self, image, boxes, texts):
        crops: List[torch.Tensor] = []
        for i in range(boxes.size(0)):
            top = int(boxes[i, 0])
            left = int(boxes[i, 1])
            size = int(boxes[i, 2])
            crop = image[:, :, top:top + size, left:left + size]
            crops.append(F.interpolate(crop, size=[224, 224], mode="nearest"))
        embeddings = self.clip_image((torch.cat(crops, 0) - self.mean) / self.std)
        dots = embeddings.matmul(texts.t())
        image_norms = (embeddings * embeddings).sum(dim=1, keepdim=True).sqrt()
        text_norms = (texts * texts).sum(dim=1).sqrt().unsqueeze(0)
        return (dots / (image_norms * text_norms)).mean(0)


class LimitStep(torch.nn.Module):
    """BigGAN: forward(z, class_logits, truncation, boxes, texts, weights)."""

    def __init__(self, generator, clip_image):
        super().__init__()
        self.generator = generator
        self.similarities = Similarities(clip_image)

    def forward(self, z, class_logits, truncation, boxes, texts, weights) -> List[torch.Tensor]:
        z = z.detach().requires_grad_(True)
        class_logits = class_logits.detach().requires_grad_(True)
        classes = torch.sigmoid(class_logits)
        image = (self.generator(z, classes, truncation) + 1.0) / 2.0
        similarities = self.similarities(image, boxes, texts)
        loss = latent_loss(z) + class_loss(classes) - (100.0 * weights * similarities).sum()
        grads = torch.autograd.grad([loss], [z, class_logits])
        grad_z = grads[0]
        grad_logits = grads[1]
        assert grad_z is not None and grad_logits is not None
        return [loss.detach(), similarities.detach(), grad_z, grad_logits]


class StyleGanLimitStep(torch.nn.Module):
    """StyleGAN: forward(w, boxes, texts, weights); the synthesis network renders w, no regularizer
    (StyleGanGenerator's)."""

    def __init__(self, synthesis, clip_image):
        super().__init__()
        self.synthesis = synthesis
        self.similarities = Similarities(clip_image)

    def forward(self, w, boxes, texts, weights) -> List[torch.Tensor]:
        w = w.detach().requires_grad_(True)
        image = (self.synthesis(w) + 1.0) / 2.0
        similarities = self.similarities(image, boxes, texts)
        loss = -(100.0 * weights * similarities).sum()
        grads = torch.autograd.grad([loss], [w])
        grad_w = grads[0]
        assert grad_w is not None
        return [loss.detach(), similarities.detach(), grad_w]


def latent_loss(z):
    rows = z.size(0)
    n = z.size(1)
    row_mean = z.mean(dim=1, keepdim=True)
    diffs = z - row_mean
    squares = diffs * diffs
    unbiased_std = (squares.sum(dim=1) / (n - 1)).sqrt()
    loss = (1.0 - unbiased_std).abs().mean() + row_mean.abs().mean() \
        + 4.0 * torch.clamp((z * z).mean(), min=1.0)
    z_scores = diffs / squares.mean(dim=1, keepdim=True).sqrt()
    skews = z_scores.pow(3).mean(dim=1)
    kurtoses = z_scores.pow(4).mean(dim=1) - 3.0
    return loss + kurtoses.abs().sum() / rows + skews.abs().sum() / rows


def class_loss(classes):
    keep = classes.size(1) - 1
    smallest = classes.sort(dim=1)[0][:, :keep]
    return ((50.0 * smallest) ** 2).mean()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generator", required=True,
                        help="BigGAN generator.pt or StyleGAN synthesis.pt (TorchScript)")
    parser.add_argument("--kind", choices=["biggan", "stylegan"], default="biggan",
                        help="the generator's kind (default %(default)s)")
    parser.add_argument("--clip-image", required=True, help="CLIP image encoder image.pt (TorchScript)")
    parser.add_argument("--out", required=True, help="where to write the limit module")
    args = parser.parse_args()
    step = LimitStep if args.kind == "biggan" else StyleGanLimitStep
    module = torch.jit.script(step(torch.jit.load(args.generator), torch.jit.load(args.clip_image)).eval())
    module.save(args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
