"""aidigest's domain: sources, items, merge, taxonomy, classify, summarise, charts, report, store.

`core` knows nothing of RQ, Slack or Discord (import-linter checks this). Everything here is
handed its clients and settings; nothing reads the environment at import.
"""
