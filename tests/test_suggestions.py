"""'Did you mean' answers are difflib's everywhere, and stay fast over thousands of names."""

from __future__ import annotations

import difflib
import random

from hypothesis import given
from hypothesis import strategies as st

from kbcheck.owners import owner_key
from kbcheck.suggestions import NameIndex, closest, suggest


def difflib_closest(word: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def many_look_alike_names() -> list[str]:
    """A knowledge base where every file is called `how-to-…`: difflib's quick filters pass
    nearly all of them, which is what made hints slow."""
    rng = random.Random(20)
    verbs = ["export", "import", "refund", "cancel", "upgrade", "invite", "reset", "merge"]
    things = ["data", "invoices", "plans", "users", "passwords", "teams", "reports", "orders"]
    names = {
        f"how-to-{rng.choice(verbs)}-{rng.choice(things)}-{number:04d}" for number in range(5000)
    }
    return [*sorted(names), "exporting-data"]


def test_a_typo_finds_the_name() -> None:
    assert closest("instalation", ["installation", "usage"]) == "installation"
    assert closest("annual", ["billing", "annual-plans", "faq"]) == "annual-plans"


def test_a_near_miss_below_the_cutoff_is_no_suggestion() -> None:
    # ratio("annual", "annual-plans") is 2 * 6 / 18 = 0.67
    assert closest("annual", ["annual-plans"], cutoff=0.7) is None
    assert closest("gone", ["refund-policy", "plans", "taxes-and-vat"]) is None
    assert closest("plans", []) is None


def test_of_equally_close_names_the_greatest_wins_as_in_difflib() -> None:
    choices = ["plant", "plans", "plane"]
    assert closest("plan", choices) == "plant" == difflib_closest("plan", choices)
    assert closest("plan", list(reversed(choices))) == "plant"


def test_a_key_compares_normalised_names_and_returns_the_first_as_written() -> None:
    choices = ["@acme/Billing", "acme/billing", "support"]
    assert closest("@ACME/biling", choices, key=owner_key) == "@acme/Billing"
    assert closest("@ACME/biling", choices[1:], key=owner_key) == "acme/billing"
    assert closest("nobody", choices, key=owner_key) is None


def test_suggest_is_the_end_of_an_error_message() -> None:
    assert suggest("exlude", ["exclude", "include"]) == " (did you mean 'exclude'?)"
    assert suggest("zzz", ["exclude", "include"]) == ""
    assert suggest("Biling", ["billing"], key=str.casefold) == " (did you mean 'billing'?)"


def test_many_look_alike_names_give_difflibs_answer() -> None:
    names = many_look_alike_names()
    for query in ["how-to-exprot-data-0042", "how-to-refund-orders", "export-data", "xyzzy"]:
        assert closest(query, names) == difflib_closest(query, names)


def test_the_index_finds_a_misspelt_name_among_many_look_alikes() -> None:
    """Approximate only where several names are about as close: a typo of one name still
    finds that name, as difflib does."""
    names = many_look_alike_names()
    index = NameIndex(names)
    for name in names[::500]:
        typo = name.replace("-to-", "-ot-").replace("data", "dta")
        assert index.closest(typo) == difflib_closest(typo, names) == name


def test_the_index_finds_the_renamed_file_among_many_similar_names() -> None:
    index = NameIndex([f"topic-{number:06d}" for number in range(5000)] + ["exporting-data"])
    assert index.closest("topik-001234", cutoff=0.7) == "topic-001234"
    assert index.closest("export-data", cutoff=0.7) == "exporting-data"


def test_the_index_has_nothing_for_nothing() -> None:
    assert NameIndex(["refund-policy", "plans"]).closest("") is None
    assert NameIndex([""]).closest("") is None
    assert NameIndex([]).closest("plans") is None


@given(
    st.text(alphabet="abcde-01", max_size=12),
    st.lists(st.text(alphabet="abcde-01", max_size=12), max_size=30),
    st.sampled_from([0.0, 0.5, 0.6, 0.7, 0.9]),
)
def test_closest_is_what_difflib_returns(query: str, names: list[str], cutoff: float) -> None:
    assert closest(query, names, cutoff=cutoff) == difflib_closest(query, names, cutoff)
    # up to 40 names the index ranks them all
    assert NameIndex(names).closest(query, cutoff=cutoff) == (
        difflib_closest(query, names, cutoff) if query else None
    )
