"""Vocabulary shared by several factors' rule tables."""

from __future__ import annotations

ALONE = r"^\W*(?:{})\W*$"
"""A pattern for a whole message that is only one of the given words ("none", "nothing")."""

YES_NO: dict[str, str] = {"yes": "yes", "no": "no"}
"""A yes/no question's bare yes and no."""
