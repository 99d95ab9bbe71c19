"""The one error type the media layer raises for bad input."""


class MediaError(ValueError):
    """A media file that cannot be used, with a one-line message a person can act on."""
