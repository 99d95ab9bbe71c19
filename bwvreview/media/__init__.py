"""Everything that touches media. No Qt, no database."""

from bwvreview.media.errors import MediaError

__all__ = ["MediaError"]
