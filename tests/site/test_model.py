"""The generic site model: one URL table per run, looked up the way static hosts serve."""

from __future__ import annotations

from kbcheck.site.model import (
    CASE_MISMATCH,
    FOREIGN,
    FOUND,
    MISSING,
    REDIRECTED,
    PageUrls,
    Site,
    SiteSpec,
)

FILES = [
    "docs/index.md",
    "docs/billing/refunds.md",
    "docs/billing/index.md",
    "docs/img/logo.png",
    "README.md",
]


def pretty(**changes: object) -> Site:
    spec = SiteSpec(generator="custom", paths=(("/", "docs/"),), page_urls="pretty")
    return Site(SiteSpec(**{**spec.__dict__, **changes}), FILES, {})


def test_every_spelling_of_a_page_url_finds_its_file() -> None:
    site = pretty()
    for url in (
        "/billing/refunds",
        "/billing/refunds/",
        "/billing/refunds.html",
        "/billing/refunds/index.html",
    ):
        assert site.lookup(url) == (FOUND, "docs/billing/refunds.md"), url
    assert site.lookup("/billing/") == (FOUND, "docs/billing/index.md")
    assert site.lookup("/") == (FOUND, "docs/index.md")
    assert site.lookup("/img/logo.png") == (FOUND, "docs/img/logo.png")
    assert site.page_url("docs/billing/refunds.md") == "/billing/refunds/"


def test_files_outside_the_published_folder_are_not_served() -> None:
    site = pretty()
    assert site.lookup("/README") == (MISSING, None)
    assert site.page_url("README.md") is None


def test_a_url_under_no_published_prefix_belongs_to_another_site() -> None:
    site = pretty(paths=(("/help/", "docs/"),))
    assert site.lookup("/help/billing/refunds/") == (FOUND, "docs/billing/refunds.md")
    assert site.lookup("/powershell/module/get-item") == (FOREIGN, None)
    assert site.lookup("/help/billing/gone/") == (MISSING, None)


def test_the_base_path_is_stripped_and_case_follows_the_host() -> None:
    site = pretty(base="/kb")
    assert site.lookup("/kb/billing/refunds/") == (FOUND, "docs/billing/refunds.md")
    assert site.lookup("/kb/Billing/Refunds/") == (CASE_MISMATCH, "docs/billing/refunds.md")
    folded = pretty(base="/kb", case_sensitive=False)
    assert folded.lookup("/KB/Billing/Refunds/") == (FOUND, "docs/billing/refunds.md")


def test_redirects_by_url_and_by_old_file() -> None:
    site = pretty(
        redirects=(
            ("/billing/refund-policy/", "/billing/refunds/"),
            ("docs/old.md", "docs/index.md"),
        )
    )
    assert site.lookup("/billing/refund-policy") == (REDIRECTED, "/billing/refunds/")
    assert site.target_of("/billing/refunds/") == "docs/billing/refunds.md"
    assert site.redirect_for_file("docs/old.md") == "docs/index.md"


def test_static_folders_are_served_at_the_root() -> None:
    site = Site(
        SiteSpec(generator="custom", paths=(("/docs/", "docs/"),), static=("static/",)),
        [*FILES, "static/img/a.png"],
        {},
    )
    assert site.lookup("/img/a.png") == (FOUND, "static/img/a.png")
    assert site.lookup("/docs/billing/refunds") == (FOUND, "docs/billing/refunds.md")


def test_page_rules_give_urls_and_aliases_from_front_matter() -> None:
    def permalink(spec: SiteSpec, path: str, meta: object, default: str) -> PageUrls | None:
        if isinstance(meta, dict) and "permalink" in meta:
            return PageUrls((meta["permalink"],), tuple(meta.get("aliases", ())))
        return None

    spec = SiteSpec(
        generator="custom", paths=(("/", "docs/"),), page_urls="pretty", pages=permalink
    )
    metas = {"docs/billing/refunds.md": {"permalink": "/money-back/", "aliases": ["/refunds-v1/"]}}
    site = Site(spec, FILES, metas)
    assert site.lookup("/money-back") == (FOUND, "docs/billing/refunds.md")
    assert site.lookup("/billing/refunds/") == (MISSING, None)
    assert site.lookup("/refunds-v1/") == (REDIRECTED, "/money-back/")


def test_the_fingerprint_changes_with_the_url_table() -> None:
    one = pretty().fingerprint()
    assert one == pretty().fingerprint()
    assert one != pretty(redirects=(("/a/", "/b/"),)).fingerprint()
    assert one != Site(pretty().spec, [*FILES, "docs/new.md"], {}).fingerprint()
