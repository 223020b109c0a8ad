"""kbcheck's built-in rules, one module per rule family.

Installed as `kbcheck_rules` and registered through the `kbcheck.rules` entry-point group in
pyproject.toml, exactly as a third-party plugin registers its own rules.
"""
