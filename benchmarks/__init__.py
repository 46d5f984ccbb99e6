"""Benchmarks: data and scripts that measure ie on inputs built from the real reports in ../shared."""
