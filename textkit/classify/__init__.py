"""Text classification: features, the linear model and its file, training (in memory or
streaming) and evaluation metrics. Prediction needs numpy only; training imports
scikit-learn."""
