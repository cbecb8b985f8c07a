"""The fingerprint that tells a recorded result from a stale one."""

from __future__ import annotations

import hashlib
import json

from .header import SnippetSpec, Variant


def declared_needs(spec: SnippetSpec, variant: Variant) -> dict:
    """What the snippet asks of its environment; any change here makes a recorded run stale."""
    return {
        "dependencies": spec.dependencies,
        "env": spec.env,
        "variant": {"id": variant.id, "env": variant.env},
        "device": spec.device,
    }


def snippet_hash(spec: SnippetSpec, variant: Variant) -> str:
    """``sha256`` of the snippet file bytes followed by the canonical JSON of its declared needs."""
    digest = hashlib.sha256(spec.path.read_bytes())
    # Sorted keys and fixed separators: the same needs give the same bytes on every machine.
    digest.update(json.dumps(declared_needs(spec, variant), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    return digest.hexdigest()
