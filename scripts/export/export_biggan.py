#!/usr/bin/env python3
"""Exports BigGAN-deep (128, 256 or 512) to the engine's `biggan` TorchScript contract.

Contract (config/models.yaml, kind biggan; the same as models/tiny/biggan.pt):
  generator.pt  forward(z float32[L,128], classes float32[L,1000], truncation float32[] (0-dim))
                -> float32[1,3,S,S] in [-1,1]
L = len(config.layers) + 1 (11, 13, 15 for 128, 256, 512): row 0 feeds gen_z, row i the i-th
GenBlock; the engine passes sigmoid(class logits) as `classes`. This is how lucidrains/big-sleep
drives BigGAN-deep (its Latents hold num_latents = len(biggan.config.layers) + 1 rows).

The model code is big-sleep's copy of huggingface's pytorch-pretrained-BigGAN (big_sleep/biggan.py),
imported from a checkout given by --big-sleep (never copied into this repository). Two changes are
made at export time, both checked against the unchanged upstream forward before saving:
  * spectral norm is folded into the weights (torch.nn.utils.remove_spectral_norm, eval mode: the
    weight upstream's forward computes in eval mode from weight_orig, weight_u, weight_v);
  * truncation becomes a tensor input: upstream picks the batch-norm statistics with math.modf on a
    Python float, which a trace would freeze; here the same pick (floor, fraction, the same
    interpolation, the same exact-index case) is done with tensor ops in float64.

Real weights (Apache-2.0, DeepMind's TF Hub BigGAN-deep converted by huggingface):
    /usr/bin/python3 scripts/export/export_biggan.py --big-sleep /tmp/big-sleep --size 256 \\
        --weights biggan-deep-256 --out-dir models/real --manifest models/real/models.yaml
  --weights takes upstream's shortcut name (downloaded by from_pretrained into
  $PYTORCH_PRETRAINED_BIGGAN_CACHE, default ~/.pytorch_pretrained_biggan) or a folder holding
  pytorch_model.bin and config.json.
Random weights, same architecture (for checking the engine; batch-norm statistics are calibrated on
one random latent so that the image is finite and not saturated):
    /usr/bin/python3 scripts/export/export_biggan.py --big-sleep /tmp/big-sleep --size 256 --random \\
        --out-dir /tmp/real-models
"""
import argparse
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.nn.utils.spectral_norm import SpectralNorm
from torch import nn

import export_common as common

URLS = {size: (f"https://s3.amazonaws.com/models.huggingface.co/biggan/biggan-deep-{size}-pytorch_model.bin",
               f"https://s3.amazonaws.com/models.huggingface.co/biggan/biggan-deep-{size}-config.json")
        for size in (128, 256, 512)}
Z_DIM = 128
NUM_CLASSES = 1000


def import_biggan(big_sleep_repo):
    root = common.add_upstream(big_sleep_repo, "big_sleep/biggan.py")
    # biggan.py imports its downloader's dependencies at the top; boto3 is only used for s3:// URLs.
    common.stand_in("boto3")
    common.stand_in("botocore.exceptions", ClientError=type("ClientError", (Exception,), {}))
    # Load biggan.py alone: big_sleep/__init__ imports big_sleep.py, which asserts CUDA.
    return common.load_module_file("big_sleep_biggan", root / "big_sleep" / "biggan.py")


def layers_for(size):
    """BigGAN-deep's generator layers per resolution (huggingface's convert_tf_to_pytorch.py configs)."""
    up = [(False, 16, 16), (True, 16, 16), (False, 16, 16), (True, 16, 8), (False, 8, 8)]
    tail = {128: [(True, 8, 4), (False, 4, 4), (True, 4, 2), (False, 2, 2), (True, 2, 1)],
            256: [(True, 8, 8), (False, 8, 8), (True, 8, 4), (False, 4, 4), (True, 4, 2), (False, 2, 2),
                  (True, 2, 1)],
            512: [(True, 8, 8), (False, 8, 8), (True, 8, 4), (False, 4, 4), (True, 4, 2), (False, 2, 2),
                  (True, 2, 1), (False, 1, 1), (True, 1, 1)]}
    return up + tail[size]


def spectral_norm_hooks(model):
    for module in model.modules():
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, SpectralNorm):
                yield module, hook


def randomize(model, biggan_py, seed):
    """Random weights that give a finite, unsaturated image, with upstream's buffers all set."""
    torch.manual_seed(seed)
    for module in model.modules():
        if isinstance(module, biggan_py.BigGANBatchNorm) and not module.conditional:
            with torch.no_grad():  # upstream leaves these uninitialized (torch.Tensor(n))
                module.weight.fill_(1.0)
                module.bias.zero_()
        if isinstance(module, biggan_py.SelfAttn):
            with torch.no_grad():  # upstream starts at 0, which would cut the attention path out
                module.gamma.fill_(0.5)
    with torch.no_grad():  # u, v of each spectral norm: power iterations, as converged training leaves them
        for module, hook in spectral_norm_hooks(model):
            for _ in range(30):
                hook.compute_weight(module, do_power_iteration=True)
    calibrate_batch_norm(model, biggan_py, seed)


def calibrate_batch_norm(model, biggan_py, seed):
    """Batch-norm statistics from one random latent, then an output range like a trained model's.

    Each batch norm's statistics are set to its input's per-channel moments at truncation 1 (the
    last row) and shrink towards lower truncations, as real BigGAN statistics do, so that the rows
    differ and the check of the truncation input means something. Then the last batch norm's scale
    and the RGB bias are set so that the image before tanh has mean 0 and std 0.5 (not saturated).
    """
    handles = []

    def hook(module, inputs):
        x = inputs[0]
        rows = module.running_means.shape[0]
        ramp = torch.linspace(0.5, 1.0, rows).unsqueeze(1)
        module.running_means.copy_(x.mean(dim=(0, 2, 3)).unsqueeze(0) * ramp)
        module.running_vars.copy_(x.var(dim=(0, 2, 3), unbiased=False).unsqueeze(0) * ramp)

    for module in model.modules():
        if isinstance(module, biggan_py.BigGANBatchNorm):
            handles.append(module.register_forward_pre_hook(hook))
    z, classes = example_latents(len(model.config.layers) + 1, seed)
    generator = model.eval().generator
    captured = []
    handles.append(generator.conv_to_rgb.register_forward_hook(lambda m, i, out: captured.append(out[:, :3])))
    with torch.no_grad():
        model(z, classes, 1.0)
        for handle in handles[:-1]:
            handle.remove()
        rgb_bias = generator.conv_to_rgb.bias[:3].view(1, 3, 1, 1)
        generator.bn.weight.mul_(0.5 / (captured[-1] - rgb_bias).std())
        model(z, classes, 1.0)
        generator.conv_to_rgb.bias[:3] -= captured[-1].mean(dim=(0, 2, 3))
    handles[-1].remove()


def tensor_truncation_batch_norm(self, x, truncation, condition_vector=None):
    """Upstream BigGANBatchNorm.forward with the statistics picked by tensor ops (traceable).

    Upstream: coef, start = math.modf(truncation / step_size); if coef != 0 mix rows start and
    start + 1 as means[start] * coef + means[start + 1] * (1 - coef), else take row start.
    """
    if isinstance(truncation, torch.Tensor):  # the traced path: truncation stays an input
        t = truncation.to(torch.float64) / self.step_size
    else:
        t = torch.tensor(float(truncation), dtype=torch.float64) / self.step_size
    start = torch.floor(t)
    coef = (t - start).to(x.dtype)
    start_idx = start.to(torch.int64).view(1)
    next_idx = torch.clamp(start_idx + 1, max=self.running_means.shape[0] - 1)
    mean0 = self.running_means.index_select(0, start_idx).squeeze(0)
    var0 = self.running_vars.index_select(0, start_idx).squeeze(0)
    mixed_mean = mean0 * coef + self.running_means.index_select(0, next_idx).squeeze(0) * (1 - coef)
    mixed_var = var0 * coef + self.running_vars.index_select(0, next_idx).squeeze(0) * (1 - coef)
    running_mean = torch.where(coef == 0, mean0, mixed_mean)
    running_var = torch.where(coef == 0, var0, mixed_var)
    if self.conditional:
        running_mean = running_mean.unsqueeze(0).unsqueeze(-1).unsqueeze(-1)
        running_var = running_var.unsqueeze(0).unsqueeze(-1).unsqueeze(-1)
        weight = 1 + self.scale(condition_vector).unsqueeze(-1).unsqueeze(-1)
        bias = self.offset(condition_vector).unsqueeze(-1).unsqueeze(-1)
        return (x - running_mean) / torch.sqrt(running_var + self.eps) * weight + bias
    return F.batch_norm(x, running_mean, running_var, self.weight, self.bias,
                        training=False, momentum=0.0, eps=self.eps)


class BigSleepGenerator(nn.Module):
    """forward(z[L,128], classes[L,1000], truncation[]) -> [1,3,S,S]: upstream BigGAN.forward minus its
    Python-float assert on truncation."""

    def __init__(self, biggan):
        super().__init__()
        self.embeddings = biggan.embeddings
        self.generator = biggan.generator

    def forward(self, z, classes, truncation):
        cond_vector = torch.cat((z, self.embeddings(classes)), dim=1)
        return self.generator(cond_vector, truncation)


def example_latents(rows, seed):
    """Latents as the engine starts them: z ~ N(0,1), classes = sigmoid(N(-3.9, 0.3))."""
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(rows, Z_DIM, generator=g)
    classes = torch.sigmoid(-3.9 + 0.3 * torch.randn(rows, NUM_CLASSES, generator=g))
    return z, classes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big-sleep", required=True, help="checkout of github.com/lucidrains/big-sleep")
    parser.add_argument("--size", type=int, choices=(128, 256, 512), required=True)
    weights = parser.add_mutually_exclusive_group(required=True)
    weights.add_argument("--weights", help="biggan-deep-<size> (download) or a folder with pytorch_model.bin, config.json")
    weights.add_argument("--random", action="store_true", help="same architecture, random weights")
    parser.add_argument("--clip", default="clip-vit-b32", help="id of the CLIP model that steers it (default %(default)s)")
    parser.add_argument("--out-dir", required=True, help="engine.modelsDir; files go to <out-dir>/<id>/")
    parser.add_argument("--id", help="model id in the manifest (default biggan-deep-<size>)")
    parser.add_argument("--manifest", help="also write the entry into this manifest file")
    parser.add_argument("--seed", type=int, default=0, help="seed of --random weights and of the check latents")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    common.set_threads(args.threads)
    model_id = args.id or f"biggan-deep-{args.size}"

    biggan_py = import_biggan(args.big_sleep)
    started = time.time()
    if args.random:
        config = biggan_py.BigGANConfig(output_dim=args.size, layers=layers_for(args.size))
        model = biggan_py.BigGAN(config)
        randomize(model, biggan_py, args.seed)
        weights_from = f"random weights (seed {args.seed}), batch norm calibrated"
    else:
        model = biggan_py.BigGAN.from_pretrained(args.weights)
        weights_from = f"weights {args.weights}"
        if model.config.output_dim != args.size:
            sys.exit(f"error: {args.weights} is a {model.config.output_dim}px model, not --size {args.size}")
    model.eval()
    rows = len(model.config.layers) + 1
    print(f"built BigGAN-deep-{args.size}: {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters, "
          f"{rows} latent rows ({time.time() - started:.1f} s)", file=sys.stderr)

    # Reference images from the unchanged upstream forward (Python float truncation, spectral-norm hooks).
    # float32 values, as the engine passes them: upstream's pick of statistics is discontinuous where
    # truncation / step is a whole number, so 0.4 and float32(0.4) legitimately pick different rows.
    truncations = tuple(float(torch.tensor(t)) for t in (1.0, 0.4, 0.55, 0.7))
    checks = []
    with torch.no_grad():
        for i, truncation in enumerate(truncations):
            z, classes = example_latents(rows, args.seed + 1 + i)
            checks.append((z, classes, truncation, model(z, classes, truncation)))

    for module, _ in list(spectral_norm_hooks(model)):
        torch.nn.utils.remove_spectral_norm(module)
    biggan_py.BigGANBatchNorm.forward = tensor_truncation_batch_norm
    wrapper = common.freeze(BigSleepGenerator(model))
    z, classes = example_latents(rows, args.seed)
    with torch.no_grad():
        traced = torch.jit.trace(wrapper, (z, classes, torch.tensor(1.0)), check_trace=False)
        for z, classes, truncation, expected in checks:
            common.check_close(f"truncation {truncation:.4f}", traced(z, classes, torch.tensor(truncation)), expected, 1e-4)
        image = checks[0][3]
        print(f"image {tuple(image.shape)} mean {image.mean():.3f} std {image.std():.3f} "
              f"saturated (|x|>0.99) {(image.abs() > 0.99).float().mean():.1%}", file=sys.stderr)
    with torch.enable_grad():  # the engine backpropagates to z and classes through this file
        z = checks[0][0].clone().requires_grad_()
        classes = checks[0][1].clone().requires_grad_()
        traced(z, classes, torch.tensor(1.0)).square().mean().backward()
        if not (torch.isfinite(z.grad).all() and torch.isfinite(classes.grad).all() and z.grad.abs().sum() > 0):
            sys.exit("error: gradient to the latents is not finite or is zero")
    print(f"traced and checked in {time.time() - started:.1f} s", file=sys.stderr)

    out = Path(args.out_dir)
    digest, _ = common.save(traced, out / model_id / "generator.pt")
    entry = common.manifest_entry(
        model_id, "biggan", clip=args.clip, imageSize=args.size, numLatents=rows, zDim=Z_DIM, numClasses=NUM_CLASSES,
        files={"generator": (f"{model_id}/generator.pt", digest)},
        licence=("Apache-2.0 (DeepMind BigGAN-deep weights, via huggingface pytorch-pretrained-BigGAN)"
                 if not args.random else "MIT code (huggingface pytorch-pretrained-BigGAN via big-sleep), random weights"),
        source=f"scripts/export/export_biggan.py from lucidrains/big-sleep big_sleep/biggan.py, {weights_from}",
        description=f"BigGAN-deep {args.size}x{args.size}, ImageNet" + (", RANDOM WEIGHTS" if args.random else ""),
    )
    common.emit_manifest([entry], args.manifest)


if __name__ == "__main__":
    main()
