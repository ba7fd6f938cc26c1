"""textkit benchmarks: speed and quality as ratios against anchors run alongside."""
