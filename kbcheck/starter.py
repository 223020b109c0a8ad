"""The commented configuration `kbcheck init` writes."""

STARTER_CONFIG = """\
# kbcheck configuration. Every key is optional; delete what you do not need.
# Reference: the "Configuration" section of kbcheck's README.

# The knowledge-base root: root-relative links (/billing/refunds.md) start here.
# root = "."

# Articles that are not published (gitignore-style globs, relative to the root).
exclude = ["drafts/**"]

# Absolute links to this host are checked as internal links.
# site_url = "https://help.example.com"

# How headings become #anchors: github | gitlab | mkdocs | docusaurus
anchor_style = "github"

# Known owners (people and teams).
# owners = ["billing-team", "ana@example.com"]

# Rules to skip everywhere (ids or prefixes such as "links").
# ignore = []

[age]
# How often an article must be re-verified unless a policy or the article says otherwise.
review_every = "180d"

# Stricter intervals for some folders; the first matching policy wins.
# [[policy]]
# paths = ["billing/**", "security/**"]
# review_every = "90d"

# Front-matter key names, if your articles use other names.
# [keys]
# last_reviewed = "ms.date"
# owner = "author"
"""
