"""bwvreview: trauma-informed review of police body-worn video, entirely on this machine."""

__version__ = "0.1.0"
