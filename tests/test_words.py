"""Word lists, as rule authors write them: whole words, a trailing ``*``, phrases that read
through punctuation, found in order of appearance, and a clear error for a malformed entry."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freemium_advisor.base.words import (
    WordList,
    WordMatcher,
    _alternative,
    _expression_length,
    head_phrase,
    head_words,
    normalize,
    without_phrase,
    without_phrase_words,
    words_of,
)


@pytest.mark.parametrize("text,found", [
    ("Log", ("log",)),
    ("Activity LOG", ("log",)),
    ("logs", ()),
    ("blog", ()),
    ("login", ()),
    ("log-in", ("log",)),
])
def test_a_word_matches_whole_words_only(text, found):
    assert WordList(["log"]).find(text) == found


@pytest.mark.parametrize("text,found", [
    ("Share", ("share",)),
    ("Shared boards", ("shared",)),
    ("shares", ("shares",)),
    ("share-link", ("share",)),
    ("Sharing is caring", ()),
    ("reshare this", ()),
    ("timeshare", ()),
])
def test_a_trailing_star_matches_any_ending_but_not_other_beginnings(text, found):
    """What is found is the word as written in the text, not the pattern."""
    assert WordList(["share*"]).find(text) == found


def test_a_shorter_stem_reaches_every_form():
    found = WordList(["shar*"]).find("Share a board; shared boards; sharing links")
    assert found == ("share", "shared", "sharing")


@pytest.mark.parametrize("text", [
    "Single Sign-On",
    "single sign on",
    "SAML (single-sign-on)",
    "Single   sign.on",
])
def test_a_phrase_matches_across_punctuation_and_case(text):
    assert WordList(["single sign on"]).find(text) == ("single sign on",)


def test_a_phrase_needs_its_words_in_order_and_adjacent():
    words = WordList(["single sign on"])
    assert words.find("sign on single") == ()
    assert words.find("single user sign on") == ()
    assert words.find("singlesign on") == ()


def test_a_star_ends_a_phrase():
    assert WordList(["pull request*"]).find("Review pull-requests") == ("pull requests",)


def test_matches_come_in_order_of_appearance_once_each():
    words = WordList(["b", "a", "c"])
    assert words.find("c a b a c") == ("c", "a", "b")


def test_each_distinct_spelling_is_reported_once():
    found = WordList(["share*"]).find("shared, share, shared, shares")
    assert found == ("shared", "share", "shares")


def test_the_longer_entry_wins_where_two_overlap():
    words = WordList(["audit", "audit log*"])
    assert words.find("Audit logs and an audit trail") == ("audit logs", "audit")


def test_digits_and_percent_are_part_of_words():
    assert WordList(["100%", "2fa"]).find("2FA with 100% uptime") == ("2fa", "100%")
    assert WordList(["100"]).find("100% uptime") == ()


def test_find_normalized_reads_text_already_normalized():
    words = WordList(["single sign on"])
    assert words.find_normalized(normalize("Single Sign-On")) == ("single sign on",)


def test_words_keeps_the_entries_as_written():
    assert WordList(["Share*", "single sign on"]).words == ("Share*", "single sign on")


@pytest.mark.parametrize("entry", ["", "   ", "-", "*", "**", "share**", "sh*re", "share* link"])
def test_an_invalid_entry_raises_value_error(entry):
    with pytest.raises(ValueError) as error:
        WordList(["share", entry])
    assert str(error.value) == (
        f"invalid word {entry!r}: use letters and digits, and '*' only at the end"
    )


def test_normalize_lowers_and_collapses_punctuation_to_single_spaces():
    assert normalize("Sign _on, __x-_ y") == " sign on x y "
    assert normalize("  Single  Sign-On (SSO)! ") == " single sign on sso "


@pytest.mark.parametrize("text,phrase,left", [
    ("Slack Connect", "Slack", " connect "),
    ("Slack Connect for slackers", "slack", " connect for slackers "),
    ("Microsoft 365 apps", "Microsoft 365", " apps "),
    ("Slack Connect", "", " slack connect "),
])
def test_without_phrase_blanks_the_phrase_as_whole_words(text, phrase, left):
    assert without_phrase(text, phrase) == left


def test_letters_of_any_script_are_words():
    assert WordList(["ça*", "größe"]).find("Ça va? Çava. Die Größe, a") == ("ça", "çava", "größe")
    assert WordList(["ça"]).find("a b c") == ()


@pytest.mark.parametrize("name,head", [
    ("Search text inside images", "search text"),
    ("One to one meetings", "one to one meetings"),
    ("1 on 1 calls with guests", "1 on 1 calls"),
    ("3 in 1 surveys", "3 in 1 surveys"),
    ("Reports for 1 to 5 users", "reports"),
    ("Add reminders to tasks", "add reminders"),
    ("Voice and video calls", "voice and video calls"),
    ("On canvas commenting", "on canvas commenting"),
    ("File storage per user", "file storage"),
])
def test_the_head_phrase_ends_before_the_first_preposition(name, head):
    assert head_phrase(name) == head
    assert head_words(words_of(name)) == head.split()


def _regex_find(words: list[str], text: str) -> tuple[str, ...]:
    """The meaning of a word list, as one regular expression: the entries as alternatives,
    longer expressions first, each starting and ending at a space of normalized text."""
    alternatives = sorted(
        (_alternative(re.sub(r"[^\w%*]+|_+", " ", entry.lower()).split()) for entry in words),
        key=len, reverse=True,
    )
    pattern = re.compile(r"(?<= )(?:" + "|".join(alternatives) + r")(?= )")
    return tuple(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))


def test_many_lists_are_matched_in_one_pass_each_as_on_its_own():
    matcher = WordMatcher([
        ("share", WordList(["shar*", "invite link"])),
        ("audit", WordList(["audit log", "audit", "compliance"])),
        ("log", WordList(["log"])),
        ("percent", WordList(["99.9% uptime"])),
        ("never", WordList(["nothing here"])),
    ])
    text = normalize("Audit log: shared invite links, 99.9% uptime; sharing% and the log")
    assert matcher.find_all(text) == {
        "share": ("shared",),  # "sharing%" is one word, going on in a "%", not in letters
        "audit": ("audit log",),
        "log": ("log",),  # each list on its own: "audit log" does not hide "log" from it
        "percent": ("99 9% uptime",),
    }
    assert matcher.find_all(normalize("nothing")) == {}


_WORDS = st.sampled_from("share shared sharing sha audit log logs ai gpt gpt4 a 9 99 % 50% "
                         "sso single sign on export exports é été x_y".split())
_ENTRIES = st.lists(_WORDS, min_size=1, max_size=3).map(" ".join).flatmap(
    lambda entry: st.sampled_from([entry, entry + "*"]) if entry[-1].isalnum() else st.just(entry))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_ENTRIES, min_size=1, max_size=5), min_size=1, max_size=4),
       st.lists(_WORDS | st.sampled_from(["-", ".", "%", "ab%c", "_", "_on", "sign_ -"]),
                max_size=10).map(" ".join))
@pytest.mark.heavy
def test_the_matcher_finds_what_the_regular_expression_finds(lists, text):
    """Word lists are matched a word at a time, never by regular expression; what they find
    is what the one-expression reading of a list finds, overlaps and stems included."""
    matcher = WordMatcher([(i, WordList(words)) for i, words in enumerate(lists)])
    text = normalize(text)
    expected = {i: _regex_find(words, text) for i, words in enumerate(lists)}
    assert matcher.find_all(text) == {i: found for i, found in expected.items() if found}
    for i, words in enumerate(lists):
        assert WordList(words).find_normalized(text) == expected[i]


_TEXT = st.text(st.sampled_from(list("aΣσςΑ'’ -_.%9éİ\u0301\t")), max_size=12)


@settings(max_examples=500, deadline=None)
@given(st.lists(_TEXT, max_size=4), _TEXT)
def test_fields_split_one_by_one_join_as_if_normalized_together(fields, phrase):
    """The engine splits each field of a feature into words once and joins them per
    combination a word list reads: the same words as normalizing the joined fields (a final
    sigma too), and the product's name blanked out the same way."""
    joined = [word for field in fields for word in words_of(field)]
    assert joined == normalize(" ".join(fields)).split()
    left = without_phrase_words(joined, tuple(words_of(phrase)))
    assert left == without_phrase(" ".join(fields), phrase).split()


_REPEATS = st.lists(st.sampled_from(["x", "y", "a", "x y"]), max_size=8).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(_REPEATS, st.sampled_from(["x", "x y", "x x", "y x y", "a"]))
def test_a_phrase_is_removed_as_str_replace_removes_it(text, phrase):
    """Repeated and overlapping occurrences, where removing one takes the space the next
    one starts with."""
    left = without_phrase_words(text.split(), tuple(phrase.split()))
    assert left == without_phrase(text, phrase).split()


@pytest.mark.parametrize("text,phrase,left", [
    ("x x a", "x", ["x", "a"]),
    ("a x b x", "x", ["a", "b"]),
    ("x y x y", "x y", ["x", "y"]),  # the second lost its space with the first
    ("a b", "", ["a", "b"]),
])
def test_phrase_words_examples(text, phrase, left):
    assert without_phrase_words(text.split(), tuple(phrase.split())) == left


@given(_ENTRIES)
def test_an_entrys_order_key_is_the_length_of_its_expression(entry):
    parts = tuple(re.sub(r"(?:[^\w%*]|_)+", " ", entry.lower()).split())
    assert _expression_length(parts) == len(_alternative(list(parts)))
