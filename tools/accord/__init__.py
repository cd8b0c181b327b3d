"""accord: social media orchestration as code."""

__version__ = "0.1.0"
