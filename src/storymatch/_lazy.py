"""Attributes of a package loaded on first use (PEP 562), written once for every package.

``import storymatch`` (and ``storymatch.dedup``, ``storymatch.text.boilerplate``) must stay
cheap: a command that groups a corpus needs neither the persistent index, nor the cleaner's
rule tables, nor the differ. Such a package names, for each of these attributes, the module
that defines it, and :func:`attach` returns the package's ``__getattr__`` and ``__dir__``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Collection, Mapping
from typing import Any

__all__ = ["attach"]


def attach(
    package: str, lazy: Mapping[str, str], submodules: Collection[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``__getattr__`` and ``__dir__`` for ``package`` that import on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    lazy : mapping of str to str
        Attribute name to the module that defines it; the attribute is imported from there on
        first access and then kept in the package's namespace.
    submodules : collection of str, default=()
        Submodules reachable as attributes (``storymatch.report``), imported on first access.

    Returns
    -------
    (callable, callable)
        The package's ``__getattr__`` and ``__dir__``.
    """

    def __getattr__(name: str) -> Any:
        if name in submodules and name not in lazy:
            return importlib.import_module(f"{package}.{name}")
        module = lazy.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(lazy) | set(submodules))

    return __getattr__, __dir__
