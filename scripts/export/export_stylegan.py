#!/usr/bin/env python3
"""Exports a StyleGAN2(-ADA) generator (and its discriminator) to the engine's `stylegan` TorchScript contract.

Contract (config/models.yaml, kind stylegan; the same calls as models/tiny/stylegan-*.pt):
  mapping.pt    forward(z float32[N,512]) -> w float32[N,512]
                the mapping network with truncation_psi = 1 (no truncation), one w per image;
                extra method w_avg() -> float32[512]: the generator's tracked mean w, so that the
                engine applies its own truncation (engine.styleTruncation): w_avg + psi * (w - w_avg).
  synthesis.pt  forward(w float32[N,512]) -> float32[N,3,S,S], nominally in [-1,1]
                (w is repeated over the num_ws style inputs); a w+ batch float32[N,num_ws,512] is
                accepted too. Not clamped (as upstream; clamp when rendering), noise_mode='const'
                (deterministic), force_fp32, per-sample (non-fused) modulated convolutions so that N
                is free. The tiny stand-ins have no w_avg() method: they are not trained.
  discriminator.pt  forward(image float32[N,3,S,S] in [-1,1]) -> float32[N] realism logits
                the pickle's D (unconditional: no c), its [N,1] output squeezed; force_fp32. As upstream,
                D's minibatch-stddev layer looks at groups of min(group size, N) images, so a logit
                depends on the other images of its group; N must be <= the group size or a multiple of
                it (the engine scores one image at a time: N = 1). --no-discriminator skips it.

The model code is NVlabs' stylegan2-ada-pytorch (training/networks.py, legacy.py for the .pkl),
imported from a checkout given by --stylegan-repo (never copied into this repository). On CPU its
reference implementations run; no custom CUDA op is built.

Real weights (NVIDIA Source Code License-NC: NON-COMMERCIAL use only):
    /usr/bin/python3 scripts/export/export_stylegan.py --stylegan-repo /tmp/stylegan2-ada-pytorch \\
        --pkl ffhq.pkl --id stylegan2-ffhq-1024 --out-dir models/real --manifest models/real/models.yaml
  (both stylegan2-ada-pytorch .pkl files and the original TensorFlow StyleGAN2 .pkl files load; the
  latter are converted by upstream legacy.py without TensorFlow)
Random weights, FFHQ-256-like config (stylegan2-ada-pytorch train.py --cfg=paper256):
    /usr/bin/python3 scripts/export/export_stylegan.py --stylegan-repo /tmp/stylegan2-ada-pytorch \\
        --random --resolution 256 --out-dir /tmp/real-models
"""
import argparse
import sys
import time
from pathlib import Path

import torch
from torch import nn

import export_common as common

Z_DIM = 512


class MappingCore(nn.Module):
    def __init__(self, mapping):
        super().__init__()
        self.mapping = mapping

    def forward(self, z):
        return self.mapping(z, None, truncation_psi=1)[:, 0]  # the num_ws copies are equal


class SynthesisCore(nn.Module):
    def __init__(self, synthesis):
        super().__init__()
        self.synthesis = synthesis

    def forward(self, ws):
        return self.synthesis(ws, noise_mode="const", force_fp32=True, fused_modconv=False)


class Mapping(nn.Module):
    """Scripted shell around the traced mapping: adds w_avg()."""

    def __init__(self, core, w_avg):
        super().__init__()
        self.core = core
        self.register_buffer("avg_w", w_avg.clone())

    def forward(self, z):
        return self.core(z)

    @torch.jit.export
    def w_avg(self):
        return self.avg_w


class Synthesis(nn.Module):
    """Scripted shell around the traced synthesis: w [N,512] or w+ [N,num_ws,512]."""

    def __init__(self, core, num_ws: int):
        super().__init__()
        self.core = core
        self.num_ws = num_ws

    def forward(self, w):
        if w.dim() == 2:
            w = w.unsqueeze(1).repeat(1, self.num_ws, 1)
        return self.core(w)


class DiscriminatorCore(nn.Module):
    def __init__(self, discriminator):
        super().__init__()
        self.discriminator = discriminator

    def forward(self, image):
        # Unconditional: c is unused. Upstream's minibatch-stddev layer computes its group size
        # min(group_size, N) from tensors, so N stays free in the trace (checked at N = 1, 3, 2 groups).
        return self.discriminator(image, None, force_fp32=True).squeeze(1)


def build_discriminator(args, img_resolution):
    """paper256 D with random weights (train.py --cfg=paper256: mbstd group 8)."""
    from training import networks
    torch.manual_seed(args.seed + 1)
    D = networks.Discriminator(c_dim=0, img_resolution=img_resolution, img_channels=3,
                               channel_base=16384, channel_max=512, num_fp16_res=4, conv_clamp=256,
                               epilogue_kwargs=dict(mbstd_group_size=8))
    return D.eval()


def export_discriminator(D, size, seed):
    """Traces D, checks it against upstream at N = 1, 3 (and two groups); returns the scripted module."""
    started = time.time()
    group = D.b4.mbstd.group_size if D.b4.mbstd is not None else None
    print(f"discriminator: {sum(p.numel() for p in D.parameters()) / 1e6:.1f} M parameters, "
          f"minibatch-stddev group {group}", file=sys.stderr)
    g = torch.Generator().manual_seed(seed + 2)
    images = lambda n: torch.rand(n, 3, size, size, generator=g) * 2 - 1
    with torch.no_grad():
        traced = torch.jit.trace(common.freeze(DiscriminatorCore(D)), images(2), check_trace=False)
        sizes = [1, 3] + ([2 * group] if group else [])
        for n in sizes:
            x = images(n)
            expected = D(x, None, force_fp32=True)  # [N,1]
            common.check_close(f"discriminator N={n}", traced(x), expected[:, 0], 1e-4)
        print(f"discriminator logits at N={sizes[-1]}: mean {expected.mean():.3f} std {expected.std():.3f}",
              file=sys.stderr)
    print(f"discriminator traced and checked in {time.time() - started:.1f} s", file=sys.stderr)
    return traced


def build(args, root):
    if args.random:
        from training import networks
        torch.manual_seed(args.seed)
        # train.py --cfg=paper256: fmaps 0.5 -> channel_base 16384, map 8, 4 fp16 resolutions, clamp 256
        G = networks.Generator(z_dim=Z_DIM, c_dim=0, w_dim=512, img_resolution=args.resolution, img_channels=3,
                               mapping_kwargs=dict(num_layers=8),
                               synthesis_kwargs=dict(channel_base=16384, channel_max=512, num_fp16_res=4,
                                                     conv_clamp=256))
        with torch.no_grad():  # w_avg as training tracks it: the mean w
            G.mapping.w_avg.copy_(G.mapping(torch.randn(4096, Z_DIM), None).mean(dim=(0, 1)))
        D = None if args.no_discriminator else build_discriminator(args, args.resolution)
        return G.eval(), D, f"random weights (seed {args.seed}), paper256 config"
    import legacy
    import dnnlib
    with dnnlib.util.open_url(args.pkl) as f:
        data = legacy.load_network_pkl(f)
    G = data["G_ema"]
    if G.c_dim != 0:
        sys.exit(f"error: {args.pkl} is class-conditional (c_dim {G.c_dim}); the engine drives unconditional generators")
    if G.z_dim != Z_DIM:
        sys.exit(f"error: {args.pkl} has z_dim {G.z_dim}, the engine's contract is {Z_DIM}")
    D = None
    if not args.no_discriminator:
        D = data.get("D")
        if D is None:
            sys.exit(f"error: {args.pkl} holds no discriminator D (export with --no-discriminator)")
        if D.c_dim != 0 or D.img_resolution != G.img_resolution or D.img_channels != 3:
            sys.exit(f"error: {args.pkl}: D (c_dim {D.c_dim}, {D.img_resolution}px, {D.img_channels} channels) "
                     f"does not match the unconditional {G.img_resolution}px RGB contract")
        D = D.eval().float()
    return G.eval().float(), D, f"pkl {Path(args.pkl).name}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stylegan-repo", required=True, help="checkout of github.com/NVlabs/stylegan2-ada-pytorch")
    weights = parser.add_mutually_exclusive_group(required=True)
    weights.add_argument("--pkl", help="network .pkl (path or URL; G_ema and D are exported)")
    weights.add_argument("--random", action="store_true", help="paper256-like architecture, random weights")
    parser.add_argument("--resolution", type=int, default=256, help="image size of --random (default %(default)s)")
    parser.add_argument("--clip", default="clip-vit-b32", help="id of the CLIP model that steers it (default %(default)s)")
    parser.add_argument("--out-dir", required=True, help="engine.modelsDir; files go to <out-dir>/<id>/")
    parser.add_argument("--id", help="model id in the manifest (default stylegan2-<resolution>[-random])")
    parser.add_argument("--manifest", help="also write the entry into this manifest file")
    parser.add_argument("--no-discriminator", action="store_true",
                        help="skip discriminator.pt (the realism objective of the evolve strategy)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    common.set_threads(args.threads)
    root = common.add_upstream(args.stylegan_repo, "training/networks.py")
    # The non-fused path calls fma.fma, a Python autograd.Function that TorchScript cannot save;
    # torch.addcmul(c, a, b) is the same a * b + c (upstream's own CPU fallback computes exactly that).
    from torch_utils.ops import fma
    fma.fma = lambda a, b, c: torch.addcmul(c, a, b)

    started = time.time()
    G, D, weights_from = build(args, root)
    size = G.img_resolution
    model_id = args.id or f"stylegan2-{size}" + ("-random" if args.random else "")
    print(f"built StyleGAN2 {size}px: {sum(p.numel() for p in G.parameters()) / 1e6:.1f} M parameters, "
          f"num_ws {G.num_ws} ({time.time() - started:.1f} s)", file=sys.stderr)

    mapping_core = common.freeze(MappingCore(G.mapping))
    synthesis_core = common.freeze(SynthesisCore(G.synthesis))
    g = torch.Generator().manual_seed(args.seed)
    with torch.no_grad():
        mapping_ts = torch.jit.trace(mapping_core, torch.randn(2, Z_DIM, generator=g), check_trace=False)
        ws = G.mapping(torch.randn(2, Z_DIM, generator=g), None)
        synthesis_ts = torch.jit.trace(synthesis_core, ws, check_trace=False)
        mapping = torch.jit.script(Mapping(mapping_ts, G.mapping.w_avg))
        synthesis = torch.jit.script(Synthesis(synthesis_ts, G.num_ws))
        for n in (1, 3):  # batch size stays free; traced == upstream (fused convs, as G_ema runs them)
            z = torch.randn(n, Z_DIM, generator=g)
            ws = G.mapping(z, None, truncation_psi=1)
            common.check_close(f"mapping N={n}", mapping(z), ws[:, 0], 1e-4)
            expected = G.synthesis(ws, noise_mode="const", force_fp32=True)
            common.check_close(f"synthesis w N={n}", synthesis(ws[:, 0]), expected, 1e-3)
            common.check_close(f"synthesis w+ N={n}", synthesis(ws), expected, 1e-3)
        common.check_close("w_avg", mapping.w_avg(), G.mapping.w_avg, 0)
        print(f"image {tuple(expected.shape)} mean {expected.mean():.3f} std {expected.std():.3f} "
              f"outside [-1,1] {(expected.abs() > 1).float().mean():.1%}", file=sys.stderr)
    with torch.enable_grad():  # the engine will optimize w through this file
        w = mapping(torch.randn(1, Z_DIM, generator=g)).clone().requires_grad_()
        synthesis(w).square().mean().backward()
        if not (torch.isfinite(w.grad).all() and w.grad.abs().sum() > 0):
            sys.exit("error: gradient to w is not finite or is zero")
    print(f"traced and checked in {time.time() - started:.1f} s", file=sys.stderr)
    discriminator = None if D is None else export_discriminator(D, size, args.seed)

    out = Path(args.out_dir)
    mapping_sha, _ = common.save(mapping, out / model_id / "mapping.pt")
    synthesis_sha, _ = common.save(synthesis, out / model_id / "synthesis.pt")
    files = {"mapping": (f"{model_id}/mapping.pt", mapping_sha), "synthesis": (f"{model_id}/synthesis.pt", synthesis_sha)}
    if discriminator is not None:
        discriminator_sha, _ = common.save(discriminator, out / model_id / "discriminator.pt")
        files["discriminator"] = (f"{model_id}/discriminator.pt", discriminator_sha)
    entry = common.manifest_entry(
        model_id, "stylegan", clip=args.clip, imageSize=size, zDim=Z_DIM, files=files,
        licence=("NVIDIA Source Code License-NC (non-commercial use only)" if not args.random
                 else "NVIDIA Source Code License-NC code (stylegan2-ada-pytorch), random weights; non-commercial"),
        source=f"scripts/export/export_stylegan.py from NVlabs/stylegan2-ada-pytorch, {weights_from}",
        description=f"StyleGAN2 {size}x{size}" + (", RANDOM WEIGHTS" if args.random else ""),
    )
    common.emit_manifest([entry], args.manifest)


if __name__ == "__main__":
    main()
