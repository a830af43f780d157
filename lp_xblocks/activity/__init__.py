"""The saved-learning-activity block: a prompt, the learner's saved response, then a revealed commentary."""
