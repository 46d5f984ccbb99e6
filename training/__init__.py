"""Training and promotion of the model tagger: ``python training/train.py configs/train_tagger.json``,
``python -m training.promote``."""
