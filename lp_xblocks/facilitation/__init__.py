"""The facilitation-exercise block: branching partnership-meeting scenarios with feedback, and an action plan."""
