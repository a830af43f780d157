"""
Translation for the exporter's messages (stdlib ``gettext``, domain ``lp-accredit``).

Messages a person reads (explanations, rejections, errors, the summary) go through ``_``; the column names of
the machine-readable files and the awarding body's JSON do not, so every centre writes the same layout.
Catalogues are looked up in ``accreditation_export/locale`` and the system's default places; without one the
text stays as written.
"""
import gettext
from pathlib import Path

_translation = gettext.translation(
    "lp-accredit", localedir=str(Path(__file__).resolve().parent / "locale"), fallback=True,
)
_ = _translation.gettext
ngettext = _translation.ngettext
