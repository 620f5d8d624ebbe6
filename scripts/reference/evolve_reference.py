#!/usr/bin/env python3
"""Golden reference for imagine-bot's ``evolve`` strategy (seed 004, CLIP-GLaSS-style GA): the fitness
of every individual of the first two generations, computed here from the genes the Java GA drew.

Selection, crossover and mutation are Java's own (and tested there by properties: elitism, bounds,
reproducibility); what must agree with an independent computation is how an individual is scored.
The Java side exports its genes (``EvolveRun.main``, see README.md); for each individual this script

  * splits the genes as BigGanGenerator.renderGenome does: z = genes[:128] on every one of the 5 rows,
    class weights = softmax(genes[128:]) on every row (computed in float64, cast to float32);
  * renders with biggan.pt (truncation 1.0), maps [-1,1] to [0,1];
  * CLIP score: cosine of the prompt's embedding (openai/CLIP's ``clip.tokenize``, clip-text.pt) with the
    whole image's embedding (legacy nearest resize to 224, CLIP normalisation, clip-image.pt);
  * realism: sigmoid of discriminator.pt on the image in [-1,1] (CLIP-GLaSS's second objective);
  * fitness = CLIP score + realismWeight * realism (the weighted sum GeneticSearch ranks by).

The golden holds each generation's genes as a sha256 (little-endian float32, individual after
individual), not the genes: the Java test regenerates them from the seed and checks the hash.

How to run:
    mvn -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
    java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) org.imaginebot.engine.djl.EvolveRun /tmp/evolve-genes.json
    /usr/bin/python3 scripts/reference/evolve_reference.py --clip /tmp/clip --genes /tmp/evolve-genes.json \\
        --models models/tiny --out src/test/resources/golden/evolve-tiny.json
"""
import argparse
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import torch

import reference_common as common

MODEL_FILES = ("clip-image.pt", "clip-text.pt", "biggan.pt", "discriminator.pt")
NUM_LATENTS = 5
Z_DIM = 128
NUM_CLASSES = 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clip", required=True, help="scratch checkout of openai/CLIP (tokenizer)")
    ap.add_argument("--clip-git", default="/work/.mirror/openai+CLIP/repo")
    ap.add_argument("--genes", required=True, help="JSON written by EvolveRun.main")
    ap.add_argument("--models", default="models/tiny")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)

    exported = json.loads(Path(args.genes).read_text())
    models = Path(args.models)
    clip = common.import_openai_clip(args.clip)
    clip_text = torch.jit.load(str(models / "clip-text.pt")).eval()
    clip_image = torch.jit.load(str(models / "clip-image.pt")).eval()
    biggan = torch.jit.load(str(models / "biggan.pt")).eval()
    discriminator = torch.jit.load(str(models / "discriminator.pt")).eval()
    weight = exported["realismWeight"]

    generations = []
    with torch.no_grad():
        tokens = common.tokens(clip, exported["prompt"])
        text = clip_text(tokens)
        for individuals in exported["generations"]:
            genes = np.asarray(individuals, dtype=np.float32)
            assert genes.shape == (exported["population"], Z_DIM + NUM_CLASSES), genes.shape
            assert np.all(np.abs(genes) <= 2), "genes outside [-2, 2]"
            clip_scores, realism, fitness = [], [], []
            for row in genes:
                z = torch.from_numpy(row[:Z_DIM].copy())
                classes = torch.softmax(torch.from_numpy(row[Z_DIM:].astype(np.float64)), 0).to(torch.float32)
                raw = biggan(z.repeat(NUM_LATENTS, 1), classes.repeat(NUM_LATENTS, 1), torch.tensor(1.0))
                image = (raw + 1) / 2
                score = common.cosine(text, clip_image(common.clip_input(image)))[0].item()
                logit = discriminator(image * 2 - 1)[0].item()
                real = 1 / (1 + math.exp(-logit))
                clip_scores.append(score)
                realism.append(real)
                fitness.append(score + weight * real)
            generations.append({
                "genesSha256": hashlib.sha256(genes.astype("<f4").tobytes()).hexdigest(),
                "clip": clip_scores,
                "realism": realism,
                "fitness": fitness,
            })

    golden = {
        "source": "scripts/reference/evolve_reference.py (independent scoring; tokens by openai/CLIP "
                  f"{common.git_head(args.clip_git)})",
        "torch": torch.__version__,
        "models": {name: common.sha256(models / name) for name in MODEL_FILES},
        "model": exported["model"],
        "seed": exported["seed"],
        "prompt": exported["prompt"],
        "tokens": tokens[0].tolist(),
        "population": exported["population"],
        "realismWeight": weight,
        "truncation": 1.0,
        "generations": generations,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    print(f"wrote {out}: best fitness per generation "
          + ", ".join(f"{max(g['fitness']):.5f}" for g in generations))


if __name__ == "__main__":
    main()
