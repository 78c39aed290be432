"""booknetic-zoom: the Zoom integration sidecar for Booknetic SaaS."""

__version__ = "0.1.0"
