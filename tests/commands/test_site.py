"""`accord site`: the planning hub, built from the example org (and small ones), served from a
static server on 127.0.0.1 and driven in real headless Chromium. Screenshots of what each test saw
are kept under pytest's tmp dir (site-screenshots/)."""
from __future__ import annotations

import functools
import json
import threading
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import cli

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
NOW = "2027-02-10T12:00:00+00:00"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (.ci/run installs it)")


def accord(*args: str, root: Path):
    result = CliRunner().invoke(cli, [*args, "--root", str(root)], catch_exceptions=False)
    return result.exit_code, result.output


def build(root: Path, out: Path, now: str = NOW) -> Path:
    code, output = accord("site", "-o", str(out), "--now", now, root=root)
    assert code == 0, output
    return out


@contextmanager
def served(folder: Path):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    out = build(REPO, tmp_path_factory.mktemp("example") / "site")
    with served(out) as base:
        yield base


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("site-screenshots")


class Tab:
    """A browser tab that remembers every request it made and every error the page reported."""

    def __init__(self, browser, shots: Path, name: str):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.set_default_timeout(15_000)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.shots, self.name, self.n = shots, name, 0
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def _console(self, message) -> None:
        # (the browser asks the server for /favicon.ico itself, as it does of every site)
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(message.text)

    def open(self, url: str):
        self.page.goto(url)
        self.snap()
        return self.page

    def snap(self) -> None:
        self.n += 1
        self.page.screenshot(path=str(self.shots / f"{self.name}-{self.n}.png"), full_page=True)

    def shown(self) -> list[str]:
        """The keys of the posts on the page a reader can see."""
        return sorted(self.page.eval_on_selector_all(
            "[data-key]", "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.key)"))


@pytest.fixture
def tab(browser, shots, request):
    t = Tab(browser, shots, request.node.name)
    yield t
    t.page.close()
    assert t.errors == []  # a Content-Security-Policy refusal, a script error or an alert
    assert all(u.startswith(("http://127.0.0.1:", "file://")) for u in t.requests), t.requests


# Every visible element with text of its own, whose colour against the first opaque background
# behind it is under WCAG AA's 4.5:1 for text.
LOW_CONTRAST = """() => {
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(channel);
                           return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const behind = el => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor, parts = c.match(/[\\d.]+/g);
      if (parts.length < 4 || Number(parts[3]) > 0) { return c; }
    }
    return "rgb(255, 255, 255)";
  };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    if (!el.checkVisibility() || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) { continue; }
    const a = luminance(getComputedStyle(el).color), b = luminance(behind(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) { low.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}: ${el.textContent.slice(0, 40)}`); }
  }
  return low;
}"""


def until(page, expression: str, arg=None, seconds: float = 10.0) -> None:
    """Wait until `expression` holds in the page. (Playwright's wait_for_function polls by
    evaluating a string inside the page, which the site's CSP forbids, rightly: no eval.)"""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression, arg):
        assert time.monotonic() < deadline, f"still not true after {seconds} s: {expression}"
        time.sleep(0.05)


def month_keys(root: Path, first: str, last: str, *filters: str) -> list[str]:
    code, out = accord("calendar", "--format", "json", "--from", first, "--to", last, *filters, root=root)
    assert code == 0, out
    return sorted(t["key"] for t in json.loads(out)["targets"])


def test_a_filter_shows_exactly_that_teams_posts_and_survives_a_reload_and_the_next_month(example_site, tab):
    page = tab.open(example_site + "month-2027-02.html")
    everything = month_keys(REPO, "2027-02-01", "2027-02-28")
    assert tab.shown() == everything
    page.select_option("select[name=team]", "careers")
    careers = month_keys(REPO, "2027-02-01", "2027-02-28", "--team", "careers")
    assert 0 < len(careers) < len(everything)
    assert tab.shown() == careers
    assert page.evaluate("location.hash") == "#team=careers"
    assert page.text_content(".shown") == f"Showing {len(careers)} of {len(everything)} posts."
    tab.snap()
    page.reload()
    assert page.input_value("select[name=team]") == "careers"
    assert tab.shown() == careers
    page.click("text=Next month")
    page.wait_for_url("**/month-2027-03.html#team=careers")
    assert tab.shown() == month_keys(REPO, "2027-03-01", "2027-03-31", "--team", "careers")
    tab.snap()


def test_two_filters_at_once_and_every_status_state_gives(example_site, tab):
    page = tab.open(example_site + "month-2027-02.html#team=brand&status=cancelled")
    assert tab.shown() == ["brand/kestrel-3-launch/ama@brand-mastodon", "brand/kestrel-3-launch/ama@brand-x"]
    statuses = page.eval_on_selector_all("select[name=status] option", "os => os.map(o => o.value)")
    # the example org's statuses (its example history has published and missed posts), in State's order
    assert statuses == ["", "draft", "ready", "published", "missed", "cancelled"]
    page.click("text=Show everything")
    until(page, "location.hash === '' || location.hash === '#'")
    assert len(tab.shown()) == len(month_keys(REPO, "2027-02-01", "2027-02-28"))


def test_the_calendar_is_usable_from_the_keyboard(example_site, tab):
    page = tab.open(example_site + "week-2027-W07.html#platform=x")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("location.hash") == "#platform=x"  # skipping keeps the filters
    page.focus("select[name=status]")
    page.keyboard.press("ArrowDown")  # the first status: draft
    until(page, "location.hash.includes('status=')")
    assert tab.shown() == ["brand/kestrel-3-launch/first-day@brand-x"]  # the week's one draft on X
    want = month_keys(REPO, "2027-02-15", "2027-02-21", "--platform", "x")
    page.keyboard.press("Home")  # back to all statuses
    until(page, "!location.hash.includes('status=')")
    assert tab.shown() == want
    links = page.eval_on_selector_all(".slot > a", "as => as.map(a => a.tabIndex)")
    assert links and all(i == 0 for i in links)  # every post is a link in the tab order
    tab.snap()


def test_a_campaign_page_shows_its_objective_progress_and_each_network_preview(example_site, tab):
    page = tab.open(example_site + "campaigns/brand/kestrel-3-launch.html")
    assert page.text_content("dd.progress").strip() == "no metrics yet"
    assert "Kestrel 3.0 makes pipelines resumable" in page.text_content("dl.facts")
    announce = page.locator("#post-announce")
    networks = announce.locator(".preview .network").all_text_contents()
    assert networks == ["X", "Mastodon", "Bluesky", "LinkedIn"]
    x = announce.locator(".preview-x")
    assert "https://kestrel.cloud/3?utm_source=x&utm_medium=social&utm_campaign=kestrel-3-launch" in x.text_content()
    assert x.locator(".length").text_content().startswith("205 of 280 characters as X counts")
    image = x.locator("img")
    assert image.get_attribute("alt").startswith("Kestrel 3.0 launch artwork")
    image.scroll_into_view_if_needed()  # (images load as they come into view)
    until(page, "i => i.complete && i.naturalWidth > 0", image.element_handle())
    assert page.evaluate("Array.from(document.images).every(i => i.alt.trim() !== '')")
    code, out = accord("calendar", "--format", "json", "--campaign", "brand/kestrel-3-launch", "--from", "2027-01-01",
                       "--to", "2027-12-31", root=REPO)
    in_order = list(dict.fromkeys(t["post"] for t in json.loads(out)["targets"]))
    assert page.locator("section.post h3").all_text_contents() == in_order  # its posts, in the order they go out


def test_a_campaign_with_metrics_shows_the_reports_progress_and_one_without_says_so(example_site, tab):
    code, out = accord("report", "--format", "json", "--now", NOW, root=REPO)
    assert code == 0, out
    reported = {c["id"]: c for c in json.loads(out)["campaigns"]}
    c = reported["marketing/cache-benchmarks"]  # the example history's link clicks move its objective
    assert c["actual"] is not None and c["pace"]["status"] == "missed"
    page = tab.open(example_site + "campaigns/marketing/cache-benchmarks.html")
    o = c["objective"]
    assert page.text_content("dd.progress").strip() == (
        f"{c['actual']:,} so far: {c['progress_pct']:.1f}% of the way from {o['baseline']:,} to {o['target']:,}, "
        f"from the networks; missed: the deadline passed")
    quiet = next(cid for cid, c in reported.items() if c["actual"] is None)
    page = tab.open(example_site + f"campaigns/{quiet}.html")
    assert page.text_content("dd.progress").strip() == "no metrics yet"


def test_a_file_that_does_not_load_is_named_on_every_page_and_a_blocked_post_is_labelled(org, tmp_path, tab):
    org.write("content/brand/launch/broken.yaml", "text: [unclosed\naccounts: [brand-outbox]\n")
    org.write("content/brand/launch/late.yaml", "text: After the window\naccounts: [brand-outbox]\n"
                                               "publish_at: 2027-02-11T10:00:00+00:00\n")
    result = CliRunner().invoke(cli, ["site", "-o", str(tmp_path / "site"), "--now", NOW, "--root", str(org.root)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("accord: content/brand/launch/broken.yaml does not load, so its posts are left out")
    with served(tmp_path / "site") as base:
        for path in ("index.html", "campaigns/brand/launch.html", "teams/brand.html"):
            page = tab.open(base + path)
            assert page.text_content(".banner").strip().startswith(
                "Not shown: content/brand/launch/broken.yaml does not load, so its posts are left out: line ")
            assert page.evaluate(LOW_CONTRAST) == [], path
        page = tab.open(base + "week-2027-W06.html")
        late = page.locator("[data-key='brand/launch/late@brand-outbox']")
        assert late.locator(".status").text_content() == "blocked by the check"
        assert "schedule.window" in late.text_content()  # why, under it


def test_every_text_has_wcag_aa_contrast(example_site, tab):
    for path in ("index.html", "month-2027-02.html", "week-2027-W07.html", "campaigns/brand/kestrel-3-launch.html",
                 "accounts/brand-x.html", "teams/brand.html", "campaigns.html", "teams.html"):
        page = tab.open(example_site + path)
        assert page.evaluate(LOW_CONTRAST) == [], path


def test_team_and_account_pages_say_who_may_post_and_what_comes_next(example_site, tab):
    page = tab.open(example_site + "accounts/brand-x.html")
    facts = page.text_content("dl.facts")
    assert "brand, marketing" in " ".join(facts.split())  # the owner and its contributor
    assert "21:00 to 07:00 (Europe/London)" in facts
    assert page.locator("table").first.locator("tbody tr[data-key]").count() > 0
    page = tab.open(example_site + "teams/marketing.html")
    assert "brand-x" in page.text_content("main")  # an account it may post to, owned by brand


def test_no_banner_while_nothing_is_frozen_and_one_on_every_page_when_something_is(example_site, tab, org, tmp_path):
    page = tab.open(example_site + "index.html")
    assert page.locator(".banner").count() == 0
    org.write("policies/freeze.yaml", "freezes:\n  - {reason: Incident review under way, since: "
                                      "'2027-02-10T09:00:00+00:00', team: brand}\n")
    with served(build(org.root, tmp_path / "site")) as base:
        for path in ("index.html", "campaigns.html", "campaigns/brand/launch.html", "teams/brand.html",
                     "accounts/brand-outbox.html", "week-2027-W06.html"):
            page = tab.open(base + path)
            assert page.text_content(".banner").strip() == (
                "Publishing is frozen (team brand) since 2027-02-10T09:00:00+00:00: Incident review under way")
            assert page.evaluate(LOW_CONTRAST) == [], path
    org.write("policies/freeze.yaml", "freezes:\n  - {reason: [unclosed\n")
    with served(build(org.root, tmp_path / "site")) as base:
        banner = tab.open(base + "index.html").text_content(".banner").strip()
    assert banner.startswith("Publishing is held: policies/freeze.yaml line ") and "until it is mended" in banner


def test_a_post_with_a_script_in_it_runs_nothing(browser, shots, org, tmp_path):
    hostile = '<script>window.ran = "script"</script><img src=x onerror="window.ran = \'img\'">'
    org.write("content/brand/launch/teaser.yaml",
              f"text: |\n  {hostile}\naccounts: [brand-outbox]\npublish_at: 2027-02-11T10:00:00+00:00\n"
              f"media:\n  - path: media/pic.png\n    alt: '\"><script>window.ran = \"alt\"</script>'\n")
    (org.root / "content/brand/launch/media").mkdir()
    (org.root / "content/brand/launch/media/pic.png").write_bytes((REPO / "content/brand/kestrel-3-launch/media"
                                                                   / "kestrel-3-hero.png").read_bytes())
    t = Tab(browser, shots, "hostile")
    with served(build(org.root, tmp_path / "site")) as base:
        for path in ("campaigns/brand/launch.html", "index.html", "week-2027-W06.html", "accounts/brand-outbox.html"):
            page = t.open(base + path)
            assert page.evaluate("window.ran") is None
            assert '<script>window.ran = "script"</script>' in page.text_content("main")  # shown as text
    page = t.open((tmp_path / "site/campaigns/brand/launch.html").as_uri())
    assert page.get_attribute("img", "alt") == '"><script>window.ran = "alt"</script>'
    assert page.evaluate("window.ran") is None
    t.page.close()
    assert t.errors == []
    assert all(u.startswith(("http://127.0.0.1:", "file://")) for u in t.requests), t.requests
    assert not any(u.endswith("/x") for u in t.requests)  # the <img src=x> was never an image


def test_the_site_works_from_the_file_system(tmp_path, tab):
    out = build(REPO, tmp_path / "site")
    page = tab.open((out / "month-2027-02.html").as_uri() + "#account=careers-x")
    assert tab.shown() == month_keys(REPO, "2027-02-01", "2027-02-28", "--account", "careers-x")
    assert page.text_content(".shown").startswith("Showing ")  # the script ran under the page's policy
    page = tab.open((out / "campaigns/careers/platform-hiring-q1.html").as_uri())
    image = page.locator("img").first
    image.scroll_into_view_if_needed()
    until(page, "i => i.complete && i.naturalWidth > 0", image.element_handle())


def test_a_rebuild_replaces_its_own_site_and_never_empties_someone_elses_folder(org, tmp_path):
    out = build(org.root, tmp_path / "site")
    (out / "month-1999-01.html").write_text("stale")
    build(org.root, out)
    assert not (out / "month-1999-01.html").exists() and (out / "index.html").is_file()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine")
    code, output = accord("site", "-o", str(theirs), root=org.root)
    assert code == 2 and "holds files accord did not write" in output
    assert (theirs / "notes.txt").read_text() == "mine"
