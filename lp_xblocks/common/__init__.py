"""Pieces shared by every block: permissions, escaping, CSV safety, i18n, JSON responses."""
