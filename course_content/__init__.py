"""Course content (OLX) for the programme; built and validated by later work."""
