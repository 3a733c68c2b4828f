"""A feature's words as the word lists of the rules read them.

A word list reads some fields of a feature (``name``, ``description``, ``category``, or
``head``, the name up to its first preposition); its ``unless`` list reads the same fields
with the whole name for the head. The product's own name is blanked out first: "Slack
Connect" says nothing about Slack integrations in Slack's own inventory.
"""

from __future__ import annotations

from functools import lru_cache

from freemium_advisor.model.inventory import Feature
from freemium_advisor.model.rules import Rule
from freemium_advisor.base.words import WordMatcher, head_words, without_phrase_words, words_of


def word_matchers(rules: tuple[Rule, ...]) -> dict[tuple[str, ...], WordMatcher]:
    """For each combination of fields the rules' word lists read, one matcher for all the
    lists that read it, each list keyed by ``("words" | "unless", rule id)``."""
    lists: dict[tuple[str, ...], list] = {}
    for rule in rules:
        if rule.words is not None:
            lists.setdefault(rule.fields, []).append((("words", rule.id), rule.words))
        if rule.unless is not None:
            lists.setdefault(unless_fields(rule.fields), []).append((("unless", rule.id), rule.unless))
    return {fields: WordMatcher(found) for fields, found in lists.items()}


class FeatureTexts:
    """One feature's words as word lists read them, split into words once per field and
    joined once per combination of fields; every list that reads a combination is matched
    in one pass, by the matchers :func:`word_matchers` made for the rules."""

    def __init__(self, feature: Feature, product_name: str,
                 matchers: dict[tuple[str, ...], WordMatcher]):
        self.feature = feature
        self.product_name = product_name
        self._phrase = _phrase_words(product_name)
        self._fields: dict[str, list[str]] = {}  # each field's words, found once
        self._cache: dict[tuple[str, ...], list[str]] = {}
        self._matchers = matchers
        self._found: dict[tuple[str, ...], dict] = {}

    def found(self, combinations: tuple[tuple[str, ...], ...]) -> dict:
        """What every list that reads one of these combinations of fields finds, by
        ``("words" | "unless", rule id)``."""
        found: dict = {}
        for fields in combinations:
            found.update(self._all_found(fields))
        return found

    def match(self, rule: Rule) -> tuple[str, ...]:
        """The rule's words found in the fields it reads, or nothing if an ``unless`` word is.

        ``unless`` reads the whole name where ``words`` read only its head: in "Export to
        Excel for reporting" the export is the feature, and "for reporting" still vetoes it.
        """
        words = self._all_found(rule.fields).get(("words", rule.id), ())
        if words and rule.unless and ("unless", rule.id) in self._all_found(unless_fields(rule.fields)):
            return ()
        return words

    def _all_found(self, fields: tuple[str, ...]) -> dict:
        found = self._found.get(fields)
        if found is None:
            found = self._found[fields] = self._matchers[fields].find_in_words(self.words(fields))
        return found

    def text(self, fields: tuple[str, ...]) -> str:
        """The fields' text, normalized, without the product's own name (as
        :func:`~freemium_advisor.base.words.without_phrase` of the fields joined by spaces)."""
        return " " + " ".join(self.words(fields)) + " "

    def words(self, fields: tuple[str, ...]) -> list[str]:
        """The words of :meth:`text`, which is what word lists match."""
        words = self._cache.get(fields)
        if words is None:
            words = []
            for name in fields:
                words += self._field_words(name)
            words = self._cache[fields] = without_phrase_words(words, self._phrase)
        return words

    def _field_words(self, name: str) -> list[str]:
        """One field's words, found once (the head from the name's words)."""
        found = self._fields.get(name)
        if found is None:
            if name == "head":
                found = head_words(self._field_words("name"))
            else:  # a feature attribute: name, description, category
                found = words_of(getattr(self.feature, name))
            self._fields[name] = found
        return found


@lru_cache(maxsize=64)
def _phrase_words(name: str) -> tuple[str, ...]:
    return tuple(words_of(name))


@lru_cache(maxsize=None)  # a handful of combinations, asked for once per rule and feature
def unless_fields(fields: tuple[str, ...]) -> tuple[str, ...]:
    """The fields an ``unless`` list reads: the same, with the whole name for its head."""
    return tuple(dict.fromkeys("name" if f == "head" else f for f in fields))
