"""Accreditation export: maps tutors' decisions onto an awarding body's units, writes and submits credit claims."""
