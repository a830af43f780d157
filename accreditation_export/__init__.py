"""Accreditation export: maps tutor decisions onto awarding-body units (later work)."""
