"""Every word list and phrase table of the program, as YAML an operator can read and extend."""

from importlib import resources
from typing import Any

import yaml


def load(name: str) -> Any:
    """The data file `name` of this folder, parsed."""
    return yaml.safe_load(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))
