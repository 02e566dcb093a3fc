"""The impact tests' set-up (an activity of library A, ONS4 switched on) serves here too."""

from tests.impact.conftest import activity, ons4

__all__ = ["activity", "ons4"]
