"""Shared helpers of the export scripts: upstream imports, saving, sha256 and manifest entries.

Nothing here knows a model; each export_*.py builds its model from the upstream code named on its
command line, wraps it in the engine's contract, traces it and calls ``save`` and ``emit_manifest``.
"""
import hashlib
import importlib.util
import sys
import time
import types
from pathlib import Path

import torch


def add_upstream(path, marker):
    """Puts an upstream checkout on sys.path after checking that it holds ``marker`` (a file)."""
    root = Path(path).resolve()
    if not (root / marker).is_file():
        sys.exit(f"error: {root} does not look like the upstream checkout: {marker} is missing")
    sys.path.insert(0, str(root))
    return root


def load_module_file(name, path):
    """Imports one upstream .py file by path, without running its package's __init__."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def stand_in(name, **attributes):
    """Registers a minimal module ``name`` only if the real one cannot be imported.

    The upstream files import packages that only their downloaders or text cleanup use (boto3,
    botocore, ftfy); the export never needs them, so an empty stand-in lets the import succeed.
    """
    try:
        importlib.import_module(name)
        return
    except ImportError:
        pass
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        stand_in(parent)
        setattr(sys.modules[parent], child, module)


def set_threads(threads):
    if threads > 0:
        torch.set_num_threads(threads)


def freeze(module):
    module.eval()
    for p in module.parameters():
        p.requires_grad_(False)
    return module


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(script_module, path):
    """Saves a TorchScript module and returns (sha256, size in bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.time()
    script_module.save(str(path))
    size = path.stat().st_size
    digest = sha256(path)
    print(f"wrote {path}  {size / 1e6:.1f} MB  sha256 {digest}  ({time.time() - started:.1f} s)", file=sys.stderr)
    return digest, size


def check_close(what, actual, expected, tolerance):
    """Fails the export when the traced module disagrees with the upstream code."""
    if actual.shape != expected.shape:
        sys.exit(f"error: {what}: shape {tuple(actual.shape)} != upstream {tuple(expected.shape)}")
    if not torch.isfinite(actual).all():
        sys.exit(f"error: {what}: traced output is not finite")
    scale = expected.abs().max().item() or 1.0
    diff = (actual - expected).abs().max().item()
    print(f"check {what}: max |traced - upstream| = {diff:.3g} (max |upstream| {scale:.3g})", file=sys.stderr)
    if diff > tolerance * max(1.0, scale):
        sys.exit(f"error: {what}: traced module differs from upstream by {diff:.3g} (tolerance {tolerance:g})")


def yaml_quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def manifest_entry(model_id, kind, files, licence, source, description, **numbers):
    """One entry of config/models.yaml as YAML text (two-space indented list item).

    ``files`` maps role -> (path relative to engine.modelsDir, sha256[, url]); ``numbers`` are the
    contract fields in manifest order (clip, imageSize, numLatents, zDim, numClasses).
    """
    lines = [f"  - id: {model_id}", f"    kind: {kind}"]
    for key in ("clip", "imageSize", "numLatents", "zDim", "numClasses"):
        if numbers.get(key) is not None:
            lines.append(f"    {key}: {numbers[key]}")
    lines.append(f"    description: {yaml_quote(description)}")
    lines.append(f"    licence: {yaml_quote(licence)}")
    lines.append(f"    source: {yaml_quote(source)}")
    lines.append("    files:")
    for role, spec in files.items():
        path, digest = spec[0], spec[1]
        url = f", url: {yaml_quote(spec[2])}" if len(spec) > 2 and spec[2] else ""
        lines.append(f"      {role}: {{ path: {path}, sha256: {digest}{url} }}")
    return "\n".join(lines) + "\n"


def emit_manifest(entries, manifest_path=None):
    """Prints the entries; with ``manifest_path`` also writes them into that manifest file.

    An entry whose id is already in the file replaces it; others are appended. The file is created
    with a ``models:`` header when missing. Only files written by these scripts (one entry per
    block, blocks separated by a blank line) are edited this way.
    """
    text = "\n".join(entries)
    print(text, end="")
    if manifest_path is None:
        return
    path = Path(manifest_path)
    header = "# Written by scripts/export: real architectures exported to the engine's contracts.\nmodels:\n"
    blocks = []
    if path.exists():
        body = path.read_text()
        start = body.find("models:\n")
        if start >= 0:
            header = body[: start + len("models:\n")]
            blocks = [b.strip("\n") + "\n" for b in body[start + len("models:\n"):].split("\n\n") if b.strip()]
    new_ids = {entry.splitlines()[0] for entry in entries}
    kept = [b for b in blocks if b.splitlines()[0] not in new_ids]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n".join(kept + list(entries)))
    print(f"manifest {path}: {len(kept)} kept, {len(entries)} written", file=sys.stderr)
