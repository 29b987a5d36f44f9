"""Reading documents: bytes in every format a user has, to one normalised text."""
