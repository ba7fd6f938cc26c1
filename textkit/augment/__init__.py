"""Data augmentation: new training rows that keep their original's meaning and label."""

from textkit.augment.eda import AugmentConfig, Augmenter, eda

__all__ = ["AugmentConfig", "Augmenter", "eda"]
