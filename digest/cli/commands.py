"""Imports every command module so that each registers its commands on the app."""

from digest.cli import (  # noqa: F401
    database,
    editions,
    editors,
    feeds,
    mail,
    maintenance,
    pipeline,
    service,
    stories_edit,
)
