#!/usr/bin/env python3
"""Golden reference for imagine-bot's ``search`` strategy (seed 001, CLIP-guided zero-shot generation).

What it computes, on the tiny TorchScript models in models/tiny:

1. the class ranking: each of 5 prompts and the 1000 ImageNet labels through the template
   "an image of {label}" are tokenised by openai/CLIP's own ``clip.tokenize`` (labels from openai/CLIP's
   own list) and embedded by clip-text.pt; classes are sorted by cosine similarity to the prompt,
   best first (ties by lower index), and the top 20 indices with their similarities are written;
2. best of N for fixed candidates: for each prompt, N candidates (a z in [-2, 2]^128 and a class from
   that prompt's top 20, drawn from a seeded torch.Generator and written out) are rendered with
   biggan.pt (z on every one of the 5 rows, the class one-hot on every row, truncation 1.0), mapped to
   [0,1], resized to 224 (legacy nearest, as big-sleep) and CLIP-normalised, embedded by clip-image.pt;
   each candidate's CLIP score is its cosine with the prompt; the best is the first maximum (Algorithm 1:
   ``if CLIPScore > MAXCLIP``).

How to run (Debian python with torch 1.13 and python3-regex):
    mkdir -p /tmp/clip && git --git-dir=/work/.mirror/openai+CLIP/repo archive HEAD | tar -x -C /tmp/clip
    /usr/bin/python3 scripts/reference/search_reference.py --clip /tmp/clip \\
        --models models/tiny --out src/test/resources/golden/search-tiny.json
"""
import argparse
import json
from pathlib import Path

import torch
import torch.nn.functional as F

import reference_common as common

DEFAULT_MIRROR = "/work/.mirror/openai+CLIP/repo"
MODEL_FILES = ("clip-image.pt", "clip-text.pt", "biggan.pt")
TEMPLATE = "an image of {}"
NUM_LATENTS = 5
Z_DIM = 128
Z_BOUND = 2.0
# Three captions of the paper's Figure 3 (CUB-200 test captions), and two prompts of our own.
PROMPTS = [
    "small chubby bird with a blue body, and bluish green wings and tail",
    "a bright orange bird with a small orange beak and a black throat",
    "this short billed bird has a yellow throat with a greenish malar stripe",
    "a lighthouse in a storm",
    "a watercolour of a mountain village at dawn",
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clip", required=True, help="scratch checkout of openai/CLIP")
    ap.add_argument("--clip-git", default=DEFAULT_MIRROR, help="git dir the checkout came from (commit hash)")
    ap.add_argument("--models", default="models/tiny")
    ap.add_argument("--out", required=True)
    ap.add_argument("--top-k", type=int, default=20)
    ap.add_argument("--candidates", type=int, default=6, help="candidates per prompt for best of N")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    torch.set_num_threads(1)

    clip = common.import_openai_clip(args.clip)
    models = Path(args.models)
    clip_text = torch.jit.load(str(models / "clip-text.pt")).eval()
    clip_image = torch.jit.load(str(models / "clip-image.pt")).eval()
    biggan = torch.jit.load(str(models / "biggan.pt")).eval()
    labels = common.imagenet_classes(args.clip)

    with torch.no_grad():
        label_tokens = torch.cat([common.tokens(clip, TEMPLATE.format(label)) for label in labels])
        label_embeddings = clip_text(label_tokens)
        gen = torch.Generator().manual_seed(args.seed)
        entries = []
        smallest_gap = float("inf")
        for text in PROMPTS:
            prompt_tokens = common.tokens(clip, text)
            embedding = clip_text(prompt_tokens)
            cos = common.cosine(embedding, label_embeddings)
            order = sorted(range(len(labels)), key=lambda c: (-cos[c].item(), c))
            top = order[:args.top_k]
            # the ranking is only a fair test if no two neighbours (to rank k+1) are closer than 1e-5
            ranked = [cos[c].item() for c in order[:args.top_k + 1]]
            smallest_gap = min(smallest_gap, min(a - b for a, b in zip(ranked, ranked[1:])))

            candidates, scores = [], []
            for _ in range(args.candidates):
                z = torch.randn(Z_DIM, generator=gen)
                while (z.abs() > Z_BOUND).any():  # BigGAN's truncation trick: redraw outliers
                    redraw = torch.randn(Z_DIM, generator=gen)
                    z = torch.where(z.abs() > Z_BOUND, redraw, z)
                class_index = top[torch.randint(len(top), (1,), generator=gen).item()]
                one_hot = F.one_hot(torch.tensor(class_index), 1000).to(torch.float32)
                raw = biggan(z.repeat(NUM_LATENTS, 1), one_hot.repeat(NUM_LATENTS, 1), torch.tensor(1.0))
                image_embedding = clip_image(common.clip_input((raw + 1) / 2))
                scores.append(common.cosine(embedding, image_embedding)[0].item())
                candidates.append({"z": z.tolist(), "class": class_index})
            best = max(range(len(scores)), key=lambda i: (scores[i], -i))
            entries.append({
                "text": text,
                "tokens": prompt_tokens[0].tolist(),
                "top": top,
                "similarities": [cos[c].item() for c in top],
                "candidates": candidates,
                "scores": scores,
                "best": best,
                "bestScore": scores[best],
            })

    if smallest_gap < 1e-5:
        raise SystemExit(f"two classes within 1e-5 of each other in a ranking ({smallest_gap}): "
                         "the order would hang on rounding; choose other prompts")
    golden = {
        "source": f"openai/CLIP {common.git_head(args.clip_git)} (clip.tokenize, imagenet_classes)",
        "torch": torch.__version__,
        "models": {name: common.sha256(models / name) for name in MODEL_FILES},
        "template": TEMPLATE,
        "topK": args.top_k,
        "truncation": 1.0,
        "numLatents": NUM_LATENTS,
        "seed": args.seed,
        "smallestRankGap": smallest_gap,
        "prompts": entries,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    print(f"wrote {out}: {len(entries)} prompts, smallest gap between neighbours in the ranking {smallest_gap:.3g}")
    for e in entries:
        print(f"  {e['text'][:40]!r}: top {e['top'][:5]}..., best {e['best']} score {e['bestScore']:.5f}")


if __name__ == "__main__":
    main()
