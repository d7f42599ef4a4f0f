"""Reading a BFCL class's ``initial_config``: BFCL's defaults for left-out keys, and this suite's extension."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


def config_and_extension(
    data: Mapping[str, Any], defaults: Mapping[str, Any], extension_key: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The config with BFCL's default for every key it leaves out, and its ``extension_key`` object ({} if absent).

    The defaults are copied, so a loader may keep the lists and dicts it gets.
    """
    config = {**copy.deepcopy(dict(defaults)), **data}
    extension = data.get(extension_key)
    extension = {} if extension is None else extension
    if not isinstance(extension, dict):
        raise TypeError(f"'{extension_key}' must be an object")
    return config, extension
