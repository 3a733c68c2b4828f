"""Word lists that inference rules match against a feature's name, description and category.

A word list is written for people: ``[shar*, invit*, single sign on, sso]``. Matching is
case-insensitive and on whole words; ``*`` at the end of a word matches any ending
(``shar*`` finds share, shared, sharing; ``share*`` finds share, shares, shared but not
sharing); punctuation counts as a space, so ``single sign on`` also finds "Single Sign-On".
"""

from __future__ import annotations

import re

# Letters and digits of any script stay; everything else (and "_") separates words.
_SEPARATORS = re.compile(r"(?:[^\w%]|_)+")
_ENTRY_SEPARATORS = re.compile(r"[^\w%*]+|_+")
_WORD = re.compile(r"^[^\W_]+%?\*?$|^%$")


def normalize(text: str) -> str:
    """Lower-case ``text`` and turn every run of punctuation and spaces into one space."""
    return " " + _SEPARATORS.sub(" ", text.lower()).strip() + " "


def words_of(text: str) -> list[str]:
    """The words of ``text`` as word lists read them: ``normalize(text).split()``."""
    return _SEPARATORS.sub(" ", text.lower()).split()


class WordList:
    """A compiled list of words and phrases; ``find`` returns the ones a text contains."""

    def __init__(self, words: list[str]):
        self.words = tuple(words)
        self._entries: tuple[tuple[str, re.Pattern], ...] | None = None
        entries = []
        for entry in words:
            parts = _ENTRY_SEPARATORS.sub(" ", entry.lower()).split()
            if not parts or not all(_WORD.match(p) for p in parts) or any(
                p.endswith("*") for p in parts[:-1]
            ):
                raise ValueError(
                    f"invalid word {entry!r}: use letters and digits, and '*' only at the end"
                )
            entries.append(tuple(parts))
        # The order in which entries are tried where several start at the same word: longer
        # first, so "audit log" wins over "audit" when both are listed. The length is that of
        # the entry's regular expression (:func:`_alternative`), which is what the word-support
        # report and the tests match with.
        entries.sort(key=_expression_length, reverse=True)
        self.entries = tuple(entries)
        self._matcher: WordMatcher | None = None

    def find(self, text: str) -> tuple[str, ...]:
        """The distinct words of ``text`` that match, in the order they appear."""
        return self.find_normalized(normalize(text))

    def find_normalized(self, text: str) -> tuple[str, ...]:
        """Like :meth:`find`, for text already passed through :func:`normalize`."""
        if self._matcher is None:
            self._matcher = WordMatcher([(None, self)])
        return self._matcher.find_all(text).get(None, ())

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


class WordMatcher:
    """Many word lists matched against one text in one pass over its words.

    For each list, the words found are what scanning the text from the left gives: at each
    word of the text the list's entries are tried in their order (longer first), the first
    that matches there is found, and the search goes on after it, so the words of a phrase
    found do not start another match of the same list. An entry's words match whole words of
    the text; a last word ``shar*`` matches any word that starts with ``shar`` and goes on in
    letters and digits. Only the entries that start with a word of the text, or with the
    start of one, are ever tried: most lists are never looked at for most texts.
    """

    def __init__(self, lists: list[tuple[object, WordList]]):
        self._keys = [key for key, _ in lists]
        # an entry's first word (or the stem of a first word ending in *) ->
        # (list number, the entry's place in its list's order, the entry's other words)
        self._by_word: dict[str, list] = {}
        self._by_stem: dict[str, list] = {}
        for number, (_, words) in enumerate(lists):
            for order, parts in enumerate(words.entries):
                first, rest = parts[0], parts[1:]
                if first.endswith("*"):
                    self._by_stem.setdefault(first[:-1], []).append((number, order, rest))
                else:
                    self._by_word.setdefault(first, []).append((number, order, rest))
        self._lengths = tuple(sorted({len(stem) for stem in self._by_stem}))
        # The start every stem shares its shortest length of: a word that starts with none
        # of these starts no stem, and most words of a text are such words.
        self._shortest = self._lengths[0] if self._lengths else 0
        self._stem_starts = frozenset(stem[:self._shortest] for stem in self._by_stem)
        self._starts: dict[str, tuple] = {}  # each word of the texts looked up once

    def find_all(self, text: str) -> dict[object, tuple[str, ...]]:
        """For each list that finds something in normalized ``text``, the distinct words it
        finds, in the order they appear (lists that find nothing are left out)."""
        return self.find_in_words(text.split())

    def find_in_words(self, tokens: list[str]) -> dict[object, tuple[str, ...]]:
        """:meth:`find_all` of a normalized text already split into its words."""
        found: dict[int, dict[str, None]] = {}
        free_from: dict[int, int] = {}  # a list's next match starts at this word or later
        starts_of = self._starts
        for k, token in enumerate(tokens):
            starts = starts_of.get(token)
            if starts is None:
                starts = self._entries_starting(token)
                if len(starts_of) < 65536:
                    starts_of[token] = starts
            matched = -1
            for number, rest in starts:
                if number == matched or free_from.get(number, 0) > k:
                    continue
                if rest and not _rest_matches(tokens, k + 1, rest):
                    continue
                end = k + 1 + len(rest)
                found.setdefault(number, {}).setdefault(" ".join(tokens[k:end]), None)
                free_from[number] = end
                matched = number
        keys = self._keys
        return {keys[number]: tuple(words) for number, words in sorted(found.items())}

    def _entries_starting(self, token: str) -> tuple:
        """The entries whose first word matches ``token``: (list number, other words), in
        list order and, within a list, in the order entries are tried."""
        entries = list(self._by_word.get(token, ()))
        if token[:self._shortest] in self._stem_starts:  # never, when no entry is a stem
            for length in self._lengths:
                if length > len(token):
                    break
                if "%" not in token[length:]:
                    entries += self._by_stem.get(token[:length], ())
        if not entries:
            return ()
        entries.sort(key=lambda entry: entry[:2])
        return tuple((number, rest) for number, _, rest in entries)


def _rest_matches(tokens: list[str], k: int, rest: tuple[str, ...]) -> bool:
    """Whether the words of the text from ``k`` on match an entry's other words."""
    if k + len(rest) > len(tokens):
        return False
    for token, part in zip(tokens[k:], rest):
        if part.endswith("*"):
            stem = part[:-1]
            if not token.startswith(stem) or "%" in token[len(stem):]:
                return False
        elif token != part:
            return False
    return True


def _expression_length(parts: tuple[str, ...]) -> int:
    """``len(_alternative(parts))``, without building it: an entry's words are letters,
    digits and ``%``, which need no escaping; a ``*`` stands for ``[^\\W_]*``, each space
    for ``\\ ``."""
    return sum(len(p) + 6 if p.endswith("*") else len(p) for p in parts) + 2 * (len(parts) - 1)


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
    return " ".join(head_words(words_of(name)))


def head_words(words: list[str]) -> list[str]:
    """:func:`head_phrase` of a name already split into its words (:func:`words_of`)."""
    cut = next((i for i, w in enumerate(words)
                if i > 0 and w in PREPOSITIONS and not _compound(words, i)), len(words))
    return words[:cut]


NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten".split())


def _number(word: str) -> bool:
    return word.isdigit() or word in NUMBER_WORDS


def _compound(words: list[str], i: int) -> bool:
    """Whether the preposition at ``i`` joins a compound: ``side by side``, ``3 in 1``."""
    if i + 1 >= len(words):
        return False
    before, after = words[i - 1], words[i + 1]
    return before == after or (_number(before) and _number(after))


def without_phrase_words(words: list[str], phrase: tuple[str, ...]) -> list[str]:
    """:func:`without_phrase` for a text and a phrase already split into their words
    (:func:`words_of`): the words of ``without_phrase(" ".join(words), " ".join(phrase))``.

    As there, an occurrence is removed with the space after it, so the word that follows
    cannot start the next one: of "x x a" without "x", "x a" is left.
    """
    if not phrase or phrase[0] not in words:
        return words
    size, kept, i = len(phrase), [], 0
    target = list(phrase)
    while i < len(words):
        if words[i:i + size] == target:
            i += size
            if i < len(words):
                kept.append(words[i])  # its leading space went with the phrase
            i += 1
        else:
            kept.append(words[i])
            i += 1
    return kept


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
