"""Imports every command module so that each registers its commands on the app."""

from digest.cli import (  # noqa: F401
    database,
    editions,
    feeds,
    mail,
    pipeline,
    service,
    stories_edit,
)
