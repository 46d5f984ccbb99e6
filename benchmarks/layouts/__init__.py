"""Whole reports in the layouts users hold them in, made from the real reports in ../shared.

``python -m benchmarks.layouts --out runs/whole`` writes flattened web text (cells run together, rows
one per line, spaced, or all on one line), markdown (a converter's, and the three ways converters print
merged cells) and HTML with blank cells, each beside the gold it is scored against and the split of the
report it was made from; ``python -m ie.evaluate --split full`` scores them per split and layout.
Tables are found from the gold, never by the reader; row labels vary as reports print them.
"""
