"""Imports every command module so that each registers its commands on the app."""

from digest.cli import pipeline  # noqa: F401
from digest.cli import feeds  # noqa: F401
