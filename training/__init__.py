"""Training and promotion of the model tagger (``python -m training.train``, ``training.promote``)."""
