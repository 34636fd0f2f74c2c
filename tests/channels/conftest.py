"""The real Rasa and action servers for channel tests: the e2e suite's session fixture."""

from tests.e2e.conftest import server  # noqa: F401
