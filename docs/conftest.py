"""pytest runs the ``>>>`` examples of the pages here (``--doctest-glob=*.rst``).

What Sphinx and sphinx-gallery generate, and Sphinx's configuration, are no tests.
"""

collect_ignore = ["conf.py"]
collect_ignore_glob = [
    "_build/*",
    "auto_examples/*",
    "generated/*",
    "benchmark_results/*",
    "sg_execution_times.rst",
]
