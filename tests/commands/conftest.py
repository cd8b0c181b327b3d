"""The publisher tests' bare origin and imitation X server, for the commands that share its git sync."""
from publisher.conftest import origin, x_server  # noqa: F401 (fixtures)
