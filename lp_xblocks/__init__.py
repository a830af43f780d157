"""XBlocks for the learning-partnership managers programme."""
