"""The reflective-log block: a portfolio of dated reflective entries that tutors mark against criteria."""
