"""Speed and memory of the whole pipeline (``ie.pipeline.analyze``) per tagger, in one run.

    python benchmarks/model_speed.py [FOLDER ...] [--limit N] [--model DIR]

Three pipelines over the same real reports: ``--tagger rules``, ``--tagger model`` (the shipped
model) and the same model code with a bert-base-chinese-sized encoder (12 layers, 768 hidden,
random weights: cost only). Each runs in its own process, so its peak RSS is its own. Prints
characters per second, peak RSS and the ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PIPELINES = ("rules", "model", "bert-base")


def bert_base_tagger(model_dir: str | None):
    """The shipped model's code and tokenizer around an encoder of bert-base-chinese's size."""
    from transformers import AutoTokenizer, BertConfig

    from ie.tag.model import DEFAULT_MODEL_DIR, ModelTagger
    from ie.tag.network import IeTaggerConfig, IeTaggerModel

    path = model_dir or DEFAULT_MODEL_DIR
    config = IeTaggerConfig.from_pretrained(path)
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = BertConfig(
        vocab_size=len(tokenizer), hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
        intermediate_size=3072, max_position_embeddings=512, pad_token_id=tokenizer.pad_token_id,
    )  # fmt: skip
    config.encoder = encoder.to_dict()
    return ModelTagger(IeTaggerModel(config), tokenizer)


def run_one(pipeline: str, paths: list[str], model_dir: str | None) -> dict[str, float]:
    from ie.pipeline import analyze
    from ie.read import read
    from ie.tag import get_tagger

    if pipeline == "bert-base":
        tagger = bert_base_tagger(model_dir)
    else:
        tagger = get_tagger(pipeline, model_dir) if pipeline == "model" else get_tagger("rules")
    documents = [read(path) for path in paths]
    analyze(documents[0], tagger)  # warm-up: lazy loads (the lexicon, the schema) are not measured
    import cn2an  # noqa: F401  # nor is this one (0.2-1 s), which the first report may not need

    started = time.perf_counter()
    for document in documents:
        analyze(document, tagger)
    seconds = time.perf_counter() - started
    characters = sum(len(d.text) for d in documents)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"reports": len(documents), "characters": characters, "seconds": round(seconds, 2),
            "chars_per_s": round(characters / seconds, 1), "peak_rss_mb": round(peak_mb, 1)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", default=[str(ROOT.parent / "shared" / "corpus")])
    parser.add_argument("--limit", type=int, default=0, help="first N reports (0: all)")
    parser.add_argument("--model", default=None, help="model directory (default: the shipped one)")
    parser.add_argument("--one", choices=PIPELINES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from ie.read import find_reports

    paths = find_reports(args.folders)
    paths = paths[: args.limit] if args.limit else paths
    if args.one:
        print(json.dumps(run_one(args.one, paths, args.model)))
        return 0
    results = {}
    for pipeline in PIPELINES:
        command = [sys.executable, __file__, *args.folders, "--one", pipeline]
        command += ["--limit", str(args.limit)] + (["--model", args.model] if args.model else [])
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        results[pipeline] = json.loads(done.stdout.strip().splitlines()[-1])
        row = results[pipeline]
        print(f"{pipeline:<10} {row['reports']} reports, {row['characters']} chars: "
              f"{row['chars_per_s']:>9.1f} chars/s, peak RSS {row['peak_rss_mb']:.0f} MB", flush=True)  # fmt: skip
    model, bert, rules = results["model"], results["bert-base"], results["rules"]
    print(f"model / bert-base-sized speed: {model['chars_per_s'] / bert['chars_per_s']:.1f}x")
    print(f"model / rules speed: {model['chars_per_s'] / rules['chars_per_s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
