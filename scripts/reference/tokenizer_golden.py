#!/usr/bin/env python3
"""Regenerate src/test/resources/clip/tokenizer-golden.json with OpenAI CLIP's own tokenizer.

Usage:
    python3 scripts/reference/tokenizer_golden.py /path/to/openai-CLIP-checkout [output.json]

The checkout is imported as-is (``import clip``); only ``regex`` and ``torch`` must be installed.

ftfy stand-in: CLIP's ``basic_clean`` calls ``ftfy.fix_text`` first, which has no Java equivalent,
so ``ClipTokenizer`` defines its contract as CLIP *without* ftfy. This script therefore always
registers a stand-in module ``ftfy`` whose ``fix_text(t)`` returns ``t`` unchanged (even when the
real ftfy is installed), so the golden ids describe exactly that contract. With the real ftfy,
strings with curly quotes, full-width letters, mojibake or non-NFC text may tokenize differently.

packaging stand-in: ``clip/clip.py`` only uses ``packaging.version.parse`` to compare torch
versions; when ``packaging`` is missing, the copy vendored in setuptools' pkg_resources is used.
"""
import json
import os
import sys
import types

LOREM = ("the quick brown fox jumps over a lazy dog while painters mix oil colours on a "
         "canvas near the old lighthouse at dusk and gulls circle above the harbour").split()

CASES = [
    "a photo of a cat",
    "A Photo Of A CAT",
    "  a   photo\n\tof\r\na  cat  ",
    "hello!!! world???",
    "it's a dog's life",
    "we'll see: they've gone, I'm here, you'd know, they're late, don't stop",
    "IT'S LOUD AND WE'RE HERE",
    "1984",
    "3.14",
    "version 2.0.1 released on 2023-10-05 at 12:30",
    "café crème",
    "Straße",
    "東京タワー",
    "🚀 rocket",
    "👩\u200d🚀 astronaut, e\u0301 combining",
    "Tom &amp; Jerry",
    "Rock &#39;n&#39; roll",
    "&amp;amp; double escaped &amp;#39;",
    "&lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot; &#x263A; &copy 2024 &nbsp;x &hellip; &notin; &bogus; &#128512; &#0; &#x80;",
    "https://example.com/path?a=1&copy=2&lang=en",
    "<|startoftext|>",
    "a <|endoftext|> b <|StartOfText|>",
    "a lighthouse | oil painting:0.5",
    "",
    "   \n\t  ",
    "ΟΔΟΣ ΣΑΣ İstanbul",
    "naïve résumé — “quoted” ‘single’ it’s …",
    "ᾳ α\u0345 and it'ſ",
    "\u00a0nbsp\u3000ideographic\u2003em\u0085nel\u001cfs\u001f",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    " ".join(LOREM[i % len(LOREM)] for i in range(300)),
]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    checkout = sys.argv[1]
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        repo_root, "src", "test", "resources", "clip", "tokenizer-golden.json")

    sys.modules["ftfy"] = types.SimpleNamespace(fix_text=lambda text: text)
    try:
        import packaging.version  # noqa: F401
    except ImportError:
        from pkg_resources.extern import packaging
        sys.modules["packaging"] = packaging
        sys.modules["packaging.version"] = packaging.version
    sys.path.insert(0, checkout)
    import clip
    from clip.simple_tokenizer import SimpleTokenizer

    tokenizer = SimpleTokenizer()
    entries = []
    for text in CASES:
        entries.append("    {\"text\": %s,\n     \"encode\": %s,\n     \"tokenize\": %s}" % (
            json.dumps(text, ensure_ascii=False),
            json.dumps(tokenizer.encode(text)),
            json.dumps(clip.tokenize(text, truncate=True)[0].tolist())))
    with open(out, "w", encoding="utf-8") as f:
        f.write("{\n  \"generator\": \"scripts/reference/tokenizer_golden.py (openai/CLIP, ftfy stand-in)\",\n")
        f.write("  \"cases\": [\n" + ",\n".join(entries) + "\n  ]\n}\n")
    print(f"wrote {len(entries)} cases to {out}")


if __name__ == "__main__":
    main()
