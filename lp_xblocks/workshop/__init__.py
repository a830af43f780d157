"""The workshop block: face-to-face and online sessions with sign-up, a waiting list, .ics and a register."""
