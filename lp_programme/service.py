"""
The programme's service standards, read by the course (which states them to participants) and by the MI report
(which measures them), so that the two cannot drift apart.
"""

# Tutors decide on a submitted reflective-log version within 10 working days, measured as 14 calendar days.
MARKING_WORKING_DAYS = 10
TARGET_DAYS = 14
