"""Personal API tokens, to show that they are not systems' tokens."""

from tests.api.conftest import make_token

__all__ = ["make_token"]
