"""The incremental layer: everything kbcheck keeps between runs to make the next one fast.

Rules never see it. The engine reads and writes it around the rules: the cache folder and its
machine tag, the file-status index, the parse cache, the per-article extracts of cross-article
rules, the findings of each rule with what they read, and the replay of a whole report.
Turning it off (`--no-cache`) changes no report.
"""
