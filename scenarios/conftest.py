"""Shared pytest fixtures for aoeh scenarios."""
import os
import pathlib

import pytest


@pytest.fixture(scope="session")
def aoeh_bin() -> pathlib.Path:
    """Path to the built `aoeh` binary (ctest sets AOEH_BIN)."""
    path = os.environ.get("AOEH_BIN")
    if not path:
        pytest.fail("AOEH_BIN is not set: run the scenarios through ctest (make test)")
    return pathlib.Path(path)
