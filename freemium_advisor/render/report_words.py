"""The report's small pieces of wording, shared by its sections: a list of names, quoted
words, a word as a shell reads it, and a recommendation in words.
"""

from __future__ import annotations

# Names a sentence lists before "and N more": enough to recognise, short enough to read.
NAMES_SHOWN = 3


def advice_phrase(recommendation: str, tier: str | None, metric: str | None) -> str:
    """``free``, ``free with a usage wall on boards``, ``gated in pro``, ``gated``."""
    if recommendation == "free-limited":
        return f"free with a usage wall on {metric}" if metric else "free with a usage wall"
    if recommendation == "gated":
        return f"gated in {tier}" if tier else "gated"
    return "free"


def name_list(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B, C and 4 more``."""
    names = list(dict.fromkeys(names))
    if len(names) > NAMES_SHOWN:
        return f"{', '.join(names[:NAMES_SHOWN])} and {len(names) - NAMES_SHOWN} more"
    if len(names) > 1:
        return f"{', '.join(names[:-1])} and {names[-1]}"
    return names[0] if names else ""


def quoted(words: tuple[str, ...]) -> str:
    return ", ".join(f"“{w}”" for w in words[:NAMES_SHOWN])


def shell(text: str) -> str:
    """A word as a shell reads it: quoted when it holds anything but safe characters."""
    if text and all(c.isalnum() or c in "-_./%+:,@" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
