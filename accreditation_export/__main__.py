"""``python -m accreditation_export`` is ``lp-accredit``."""
from .cli import main

main()
