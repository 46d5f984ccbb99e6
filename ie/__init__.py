"""ie: statistics from Chinese government information disclosure annual reports, every value
traced to its characters in the source.

    import ie
    analysis = ie.analyze("report.pdf")                 # the rule tagger
    analysis = ie.analyze("report.pdf", tagger="model") # the shipped model (or model_dir=...)
    for fact in analysis.facts:
        print(fact.field_id, fact.value, fact.evidence.text)
    analysis.to_json()                                  # what ``python -m ie.predict`` prints

Errors in the input (no such file, not a report format, a model folder that is not one) raise
``ie.errors.InputError`` with the one-line message the commands print.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ie.pipeline import Analysis
    from ie.tag import Tagger

__version__ = "0.1.0"
__all__ = ["analyze", "__version__"]


def analyze(
    path: str | Path,
    tagger: str | Tagger = "rules",
    model_dir: str | Path | None = None,
    max_mb: float = 20.0,
) -> Analysis:
    """Read one report and extract its statistics: a typed ``Analysis`` (facts, unmapped numbers
    with their reasons, identity checks, conflicts), offsets into the text the user gave.

    ``tagger`` names a registered prose tagger (``rules``, ``model``) or is a tagger itself;
    ``model_dir`` is the model folder for ``model`` (default: the shipped one)."""
    # imported here: ``import ie`` stays instant, and the heavy stages load only when used
    from ie.pipeline import extract
    from ie.read import read
    from ie.tag import get_tagger

    chosen = get_tagger(tagger, model_dir) if isinstance(tagger, str) else tagger
    return extract(read(path, max_mb=max_mb), chosen)
