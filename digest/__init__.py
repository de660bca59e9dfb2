"""digest: a French startup-investment newsletter that writes and sends itself."""

__version__ = "0.1.0"
