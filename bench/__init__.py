"""Benchmarks: scaled corpora, peer engines and the harness that measures them side by side."""
