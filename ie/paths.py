"""Where the project's files are: the schema and lexicon, the default model, the gold data, and
the real reports in ``../shared`` (or ``$IE_SHARED``).

Every module asks here instead of counting parent folders from its own ``__file__``, so a module
can move between packages without its paths breaking, and ``IE_SHARED`` is honoured everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The checkout the package sits in (an editable install or a run from the source tree).
ROOT = PACKAGE.parent
_IN_CHECKOUT = (ROOT / "configs" / "schema.yaml").is_file()
# A non-editable install (pip install ., a Ray worker's environment) carries the schema, the
# lexicon and the shipped model inside the package (pyproject.toml: ie._data).
CONFIGS = ROOT / "configs" if _IN_CHECKOUT else PACKAGE / "_data" / "configs"
MODELS = ROOT / "models" if _IN_CHECKOUT else PACKAGE / "_data" / "models"
ANNOTATIONS = ROOT / "annotations"
DEFAULT_MODEL_DIR = MODELS / "ie-tagger-small"


def shared_dir() -> Path:
    """The folder of real reports (seeds, corpus): ``$IE_SHARED``, else ``shared`` beside the
    checkout."""
    return Path(os.environ.get("IE_SHARED") or ROOT.parent / "shared")


SHARED = shared_dir()
