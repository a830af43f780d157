"""
The management-information report (``lp-accredit mi-report``): registration, needs assessment, satisfaction,
progress and accreditation outcomes, as one self-contained HTML file and one CSV per section.

- :mod:`.instruments` reads the course's needs-assessment blocks (the instruments) from its OLX;
- :mod:`.figures` computes every figure (pure: plain records in, tables and chart data out);
- :mod:`.render` writes the HTML (inline CSS and SVG) and the CSV files;
- :mod:`.command` is the command line.
"""
