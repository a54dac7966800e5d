"""Festival Desk: the programming desk of a documentary festival."""

from __future__ import annotations

from functools import cache


@cache
def version() -> str:
    """The installed package's version. It is written in one place, pyproject.toml; pip and the
    desktop bundle (which carries the package's metadata) both report it from there."""
    from importlib import metadata  # some 25 ms of imports: paid only when the version is asked for

    try:
        return metadata.version("festival-desk")
    except metadata.PackageNotFoundError:  # a source folder that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
