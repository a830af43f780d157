"""
The accreditation unit catalogue (pure: PyYAML only): qualifications, units, learning outcomes and criteria.

One YAML file is the single list of criteria: the course's reflective logs claim these criterion ids and the
exporter maps marked evidence onto them. A criterion id is ``<unit id>-<criterion number>`` (``LPM1-1.1``).

This module reads the file and indexes the criteria; it checks only what it needs to index them (a mapping
with ``units``, each with an ``id`` and criteria with a ``number`` and ``text``) and names the entry at fault.
"""
from __future__ import annotations

from pathlib import Path

import yaml

DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "catalogues" / "partnership_management.yaml"


class CatalogueError(ValueError):
    """A catalogue that cannot be read; the message names the file and the entry."""


def load_catalogue(path: str | Path = DEFAULT_CATALOGUE) -> dict:
    """The catalogue as plain data; :class:`CatalogueError` when it is not a readable YAML mapping."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueError(f"{path}: cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise CatalogueError(f"{path}:{where} is not valid YAML: {getattr(error, 'problem', error)}") from error
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise CatalogueError(f"{path}: expected a mapping with a 'units' list")
    return data


def criteria(catalogue: dict) -> dict[str, dict]:
    """Every criterion by id: ``{"LPM1-1.1": {"unit": "LPM1", "module": "induction", "text": "..."}}``."""
    found: dict[str, dict] = {}
    for position, unit in enumerate(catalogue["units"], start=1):
        unit_id = unit.get("id") if isinstance(unit, dict) else None
        if not unit_id:
            raise CatalogueError(f"units[{position}]: a unit has no id")
        for outcome in unit.get("learning_outcomes") or []:
            for criterion in outcome.get("criteria") or []:
                number, text = str(criterion.get("number", "")).strip(), str(criterion.get("text", "")).strip()
                if not number or not text:
                    raise CatalogueError(f"unit {unit_id}: a criterion has no number or no text")
                ident = f"{unit_id}-{number}"
                if ident in found:
                    raise CatalogueError(f"unit {unit_id}: criterion {ident} appears more than once")
                found[ident] = {"unit": unit_id, "module": unit.get("module"), "text": text}
    return found
