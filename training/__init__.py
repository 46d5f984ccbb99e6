"""Training the model tagger: ``python training/train.py configs/train_tagger.json``."""
