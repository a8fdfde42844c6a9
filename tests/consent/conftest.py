from tests.pathways.conftest import _in_english  # noqa: F401  (an autouse fixture)
