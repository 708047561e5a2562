"""baogao: the `baogao` command line, and the Python API for notebooks and scripts.

    import baogao
    idx = baogao.open("index")
    idx.search("最多跑一次", district="拱墅区").to_pandas()

See `baogao.library` (and the README's "From Python") for every method.
"""

from baogao.library import Answer, Index, open

__all__ = ["Answer", "Index", "open"]
