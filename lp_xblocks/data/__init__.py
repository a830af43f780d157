"""
The package's Django app: data that spans learners (cohort results, and later marking, locks and the
audit trail). Registered as an Open edX plugin app for the LMS and Studio, and installed directly in
the workbench settings.
"""
