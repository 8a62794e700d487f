"""A headless Chromium for map tests: Debian's /usr/bin/chromium driven by Playwright,
with no browser download and no network."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SAMVERKAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def _available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser():
    if not _available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium ({CHROMIUM}) and playwright are required in CI; .ci/run installs them")
        pytest.skip("Chromium or playwright not installed (apt-get install chromium; pip install playwright)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def open_map(browser):
    """Open a map file offline; returns (page, list of requests that tried to leave the machine)."""
    pages = []

    def _open(path: Path):
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        outside: list[str] = []

        def guard(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        page.route("**/*", guard)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.resolve().as_uri())
        page.wait_for_function("document.body.getAttribute('data-ready') === 'true'", timeout=15000)
        page.errors = errors
        pages.append(page)
        return page, outside

    yield _open
    for page in pages:
        page.close()
