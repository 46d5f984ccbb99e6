"""Whole reports in the layouts users hold them in, made from the real reports in ../shared.

``python -m benchmarks.layouts --out runs/whole`` writes flattened web text, markdown (a converter's
and the three ways converters print merged cells) and HTML with blank cells, each beside the gold it
is scored against; ``python -m ie.evaluate --split full`` scores them.
"""
