"""Word lists that inference rules match against a feature's name, description and category.

A word list is written for people: ``[shar*, invit*, single sign on, sso]``. Matching is
case-insensitive and on whole words; ``*`` at the end of a word matches any ending
(``shar*`` finds share, shared, sharing; ``share*`` finds share, shares, shared but not
sharing); punctuation counts as a space, so ``single sign on`` also finds "Single Sign-On".
"""

from __future__ import annotations

import re

# Letters and digits of any script stay; everything else (and "_") separates words.
_SEPARATORS = re.compile(r"[^\w%]+|_+")
_ENTRY_SEPARATORS = re.compile(r"[^\w%*]+|_+")
_WORD = re.compile(r"^[^\W_]+%?\*?$|^%$")


def normalize(text: str) -> str:
    """Lower-case ``text`` and turn every run of punctuation and spaces into one space."""
    return " " + _SEPARATORS.sub(" ", text.lower()).strip() + " "


class WordList:
    """A compiled list of words and phrases; ``find`` returns the ones a text contains."""

    def __init__(self, words: list[str]):
        self.words = tuple(words)
        self._entries: tuple[tuple[str, re.Pattern], ...] | None = None
        alternatives = []
        firsts = []
        for entry in words:
            parts = _ENTRY_SEPARATORS.sub(" ", entry.lower()).split()
            if not parts or not all(_WORD.match(p) for p in parts) or any(
                p.endswith("*") for p in parts[:-1]
            ):
                raise ValueError(
                    f"invalid word {entry!r}: use letters and digits, and '*' only at the end"
                )
            alternatives.append(_alternative(parts))
            firsts.append(parts[0])
        # Longer alternatives first, so "audit log" wins over "audit" when both are listed.
        alternatives.sort(key=len, reverse=True)
        self._source = r"(?<= )(?:" + "|".join(alternatives) + r")(?= )"
        self._pattern: re.Pattern | None = None  # compiled when first needed
        # The word each entry starts with: the whole of a text's word, or its start (``shar*``).
        self.first_words = frozenset(p for p in firsts if not p.endswith("*"))
        self.first_stems = frozenset(p[:-1] for p in firsts if p.endswith("*"))

    def find(self, text: str) -> tuple[str, ...]:
        """The distinct words of ``text`` that match, in the order they appear."""
        return self.find_normalized(normalize(text))

    def find_normalized(self, text: str) -> tuple[str, ...]:
        """Like :meth:`find`, for text already passed through :func:`normalize`."""
        if self._pattern is None:
            self._pattern = re.compile(self._source)
        found: dict[str, None] = {}
        for match in self._pattern.finditer(text):
            found.setdefault(match.group(0), None)
        return tuple(found)

    def entries_in(self, text: str) -> tuple[str, ...]:
        """The entries of the list (as written) that find something in normalized ``text``.

        Slower than :meth:`find`; it is what a word-support report needs: which entry of a
        list a text supports, not which words of the text matched.
        """
        if self._entries is None:
            self._entries = tuple(
                (entry, re.compile(r"(?<= )" + _alternative(
                    _ENTRY_SEPARATORS.sub(" ", entry.lower()).split()) + r"(?= )"))
                for entry in self.words
            )
        return tuple(entry for entry, pattern in self._entries if pattern.search(text))


class WordIndex:
    """Which of many word lists might find something in a text, from its words alone.

    Every entry of a list starts with a whole word of the text (``audit`` in ``audit log``)
    or with the start of one (``shar*``): a list none of whose first words or stems the text
    has cannot find anything in it, and its regular expression need not run. The answer is
    a superset (``audit`` may stand without ``log``), never a subset, of the lists that find.
    """

    def __init__(self, lists: list[tuple[object, WordList]]):
        self._words: dict[str, set] = {}
        self._stems: dict[str, set] = {}
        for key, words in lists:
            for word in words.first_words:
                self._words.setdefault(word, set()).add(key)
            for stem in words.first_stems:
                self._stems.setdefault(stem, set()).add(key)
        self._lengths = tuple(sorted({len(stem) for stem in self._stems}))
        self._by_token: dict[str, frozenset] = {}  # each word of the texts looked up once

    def candidates(self, text: str) -> set:
        """The keys of the lists that might find something in normalized ``text``."""
        found: set = set()
        by_token = self._by_token
        for token in set(text.split()):
            keys = by_token.get(token)
            if keys is None:
                keys = self._token_keys(token)
                if len(by_token) < 65536:
                    by_token[token] = keys
            found |= keys
        return found

    def _token_keys(self, token: str) -> frozenset:
        keys = set(self._words.get(token, ()))
        for length in self._lengths:
            if length > len(token):
                break
            keys |= self._stems.get(token[:length], set())
        return frozenset(keys)


def _alternative(parts: list[str]) -> str:
    """The regular expression of one entry's words: ``*`` at a word's end is any ending."""
    return r"\ ".join(
        re.escape(p.rstrip("*")) + (r"[^\W_]*" if p.endswith("*") else "") for p in parts
    )


# Words that open a complement: in "Add reminders to tasks" the feature is the reminders; the
# tasks after "to" are only where they go.
PREPOSITIONS = frozenset(
    "to on in inside into from for with by of across via through between within as at "
    "over per".split()
)


def head_phrase(name: str) -> str:
    """A feature name up to its first preposition: what the feature is, not what it is for.

    ``"Search text inside images"`` -> ``"search text"``; ``"Voice and video calls"`` is all
    head. A preposition opening the name (``"On canvas commenting"``) cuts nothing, nor does
    one between a word and itself or between two numbers: ``"one to one"``, ``"end to end"``,
    ``"3 in 1"`` are compounds, not a complement (``"One to one meetings"`` is about meetings).
    """
    words = normalize(name).split()
    cut = next((i for i, w in enumerate(words)
                if i > 0 and w in PREPOSITIONS and not _compound(words, i)), len(words))
    return " ".join(words[:cut])


NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten".split())


def _number(word: str) -> bool:
    return word.isdigit() or word in NUMBER_WORDS


def _compound(words: list[str], i: int) -> bool:
    """Whether the preposition at ``i`` joins a compound: ``side by side``, ``3 in 1``."""
    if i + 1 >= len(words):
        return False
    before, after = words[i - 1], words[i + 1]
    return before == after or (_number(before) and _number(after))


def without_phrase(text: str, phrase: str) -> str:
    """Normalized ``text`` with every whole-word occurrence of ``phrase`` blanked out.

    A feature called "Slack Connect" in Slack's own inventory says nothing about Slack
    integrations: the product's own name is removed before any word list reads the text.
    """
    phrase = normalize(phrase).strip()
    text = normalize(text)
    if not phrase:
        return text
    return text.replace(f" {phrase} ", " ")
