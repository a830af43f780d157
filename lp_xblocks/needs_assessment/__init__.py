"""The needs-assessment block: partnership health check, learning-needs analysis, satisfaction survey."""
