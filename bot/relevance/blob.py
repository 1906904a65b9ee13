"""A model's stored form: a magic line, then an .npz archive of plain numeric arrays and
one JSON document; never a pickle. Reading checks everything before trusting it."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np

MAGIC = b"lectern-relevance\n"
VERSION = 1
# A stored model is a few MB; anything that unpacks to more is not one of ours.
MAX_UNPACKED = 64 * 1024 * 1024


def pack(meta: dict[str, object], arrays: dict[str, np.ndarray]) -> bytes:
    """MAGIC + a compressed .npz of `arrays` and `meta` (as UTF-8 JSON bytes)."""
    out = io.BytesIO()
    out.write(MAGIC)
    document = json.dumps({"version": VERSION, **meta}, separators=(",", ":")).encode()
    np.savez_compressed(out, meta=np.frombuffer(document, dtype=np.uint8), **arrays)
    return out.getvalue()


def unpack(blob: bytes, names: dict[str, str]) -> tuple[dict, dict[str, np.ndarray]]:
    """(meta, arrays) of a blob `pack` made: exactly the arrays `names` lists, each of the
    dtype kind given ("f" float, "i" integer). ValueError for anything else."""
    if not isinstance(blob, bytes | bytearray) or not blob.startswith(MAGIC):
        raise ValueError("not a lectern relevance model")
    body = io.BytesIO(bytes(blob[len(MAGIC):]))
    try:
        with zipfile.ZipFile(body) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise ValueError("the model unpacks to too much")
        body.seek(0)
        with np.load(body, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode())
    except ValueError:
        raise
    except Exception as error:  # a broken archive fails in many ways: all are malformed
        raise ValueError(f"a malformed model: {type(error).__name__}") from error
    if not isinstance(meta, dict) or meta.get("version") != VERSION:
        raise ValueError(f"a model of another version (this lectern reads {VERSION})")
    if set(arrays) != set(names):
        raise ValueError("a model with other arrays than expected")
    for name, kind in names.items():
        if arrays[name].dtype.kind != kind or arrays[name].ndim != 1:
            raise ValueError(f"a model whose {name} is not a flat array of kind {kind}")
    return meta, arrays
