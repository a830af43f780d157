"""Where evidence comes from: the workbench database, Open edX report files, Open edX's REST APIs."""
from .base import Exercise, Learner, ReflectiveEntry, Source, SourceError, block_name, by_learner

__all__ = ["Exercise", "Learner", "ReflectiveEntry", "Source", "SourceError", "block_name", "by_learner"]
