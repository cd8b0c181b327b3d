"""accord metrics pull end to end: the real CLI in a clone of a bare origin, the real tweepy
client over HTTP to the imitation X server, the commit read back from the origin."""
from __future__ import annotations

import json
import math
import re
import subprocess
import time
from datetime import datetime, timedelta, timezone

import git
from publisher.conftest import Origin, accord, child_env, minutes_ago, post, publish, publish_cmd, x_env

NOW = datetime.now(timezone.utc)
SECOND_X = 'platform: x\nhandle: "@news"\ncredentials_env: BRAND_X\napi_base: {api_base}\n'


def _published(origin: Origin, server, n: int, account: str = "brand-x", days_ago: float = 2,
               parts: int = 1, team: str = "brand", campaign: str = "launch") -> list[tuple[str, list[str]]]:
    """n posts to `account`, already out on the imitation network and recorded in the ledger
    as the publisher records them: (post id, its parts' platform ids)."""
    at = NOW - timedelta(days=days_ago)
    out = []
    for i in range(n):
        pid = f"{team}/{campaign}/p{i:03d}"
        origin.write(f"content/{pid}.yaml", post(f"Post {i} to {account}", [account], at.isoformat(timespec="seconds")))
        ids = [server.post_at(f"Post {i} part {k} on {account}", at)["id"] for k in range(parts)]
        entry = {"status": "published", "platform": "x", "id": ids[0], "url": f"https://x.com/brand/status/{ids[0]}",
                 "parts": [{"id": x, "url": f"https://x.com/brand/status/{x}", "at": at.isoformat()} for x in ids],
                 "published_at": at.isoformat(timespec="seconds"), "lateness_s": 3, "attempts": 1}
        ledger = origin.seed / f"state/ledger/{pid}.json"
        record = json.loads(ledger.read_text()) if ledger.exists() else {"post": pid, "fingerprint": "0" * 16, "targets": {}}
        record["targets"][account] = entry
        ledger.parent.mkdir(parents=True, exist_ok=True)
        ledger.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
        out.append((pid, ids))
    origin.push(f"{n} posts out on {account}")
    return out


def _metrics(origin: Origin, post_id: str) -> dict | None:
    try:
        return json.loads(git.Repo(origin.bare).git.show(f"main:state/metrics/{post_id}.json"))
    except git.GitCommandError:
        return None


def _expected(server, tweet_id: str) -> dict:
    """What the imitation holds for a post, under accord's names (worked out here, by hand)."""
    t = next(t for t in server.tweets if t["id"] == tweet_id)
    pub, priv = t["public_metrics"], t["non_public_metrics"]
    counts = {"impressions": priv["impression_count"], "likes": pub["like_count"], "reposts": pub["retweet_count"],
              "replies": pub["reply_count"], "quotes": pub["quote_count"], "bookmarks": pub["bookmark_count"],
              "link_clicks": priv["url_link_clicks"], "profile_clicks": priv["user_profile_clicks"]}
    counts["engagements"] = sum(v for k, v in counts.items() if k != "impressions")
    return counts


def test_each_target_gets_its_own_counts_in_lookups_of_100(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    posts = _published(origin, x_server, 230)
    run = accord(origin.clone(), "metrics", "pull", "--format", "json", env=x_env())
    assert run.code == 0, run.err
    lookups = x_server.requests_to("GET", "/2/tweets")
    assert len(lookups) == math.ceil(230 / 100)
    assert run.report["accounts"][0]["requests"] == 3 and run.report["accounts"][0]["read"] == 230
    seen = set()
    for pid, [tweet_id] in posts:
        target = _metrics(origin, pid)["targets"]["brand-x"]
        assert target["totals"] == _expected(x_server, tweet_id), pid
        assert target["daily"]["likes"] == {NOW.date().isoformat(): target["totals"]["likes"]}
        seen.add(json.dumps(target["totals"], sort_keys=True))
    assert len(seen) > 200  # the counts differ from post to post: a mix-up would show
    assert origin.log()[0] == ("accord publisher", "accord: metrics of 230 target(s) [skip ci]")


def test_a_second_pull_that_reads_the_same_counts_makes_no_commit(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    _published(origin, x_server, 3)
    runner = origin.clone()
    assert accord(runner, "metrics", "pull", env=x_env()).code == 0
    commits = len(origin.log())
    again = accord(runner, "metrics", "pull", env=x_env())
    assert again.code == 0, again.err
    assert len(origin.log()) == commits
    assert "0 metrics file(s) changed" in again.out


def test_counts_that_moved_add_a_point_of_the_day_and_new_totals(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    [(pid, [tweet_id])] = _published(origin, x_server, 1)
    runner = origin.clone()
    accord(runner, "metrics", "pull", env=x_env())
    tweet = next(t for t in x_server.tweets if t["id"] == tweet_id)
    tweet["public_metrics"]["like_count"] += 5
    assert accord(runner, "metrics", "pull", env=x_env()).code == 0
    target = _metrics(origin, pid)["targets"]["brand-x"]
    assert target["totals"]["likes"] == tweet["public_metrics"]["like_count"]
    assert target["daily"]["likes"] == {NOW.date().isoformat(): tweet["public_metrics"]["like_count"]}


def test_a_thread_is_counted_per_part_and_summed(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    [(pid, ids)] = _published(origin, x_server, 1, parts=3)
    assert accord(origin.clone(), "metrics", "pull", env=x_env()).code == 0
    target = _metrics(origin, pid)["targets"]["brand-x"]
    parts = [_expected(x_server, i) for i in ids]
    assert [p["totals"] for p in target["parts"]] == parts and [p["id"] for p in target["parts"]] == ids
    assert target["totals"]["likes"] == sum(p["likes"] for p in parts)
    assert target["totals"]["engagements"] == sum(p["engagements"] for p in parts)


def test_old_posts_get_public_counts_without_a_refused_lookup(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    [(pid, [tweet_id])] = _published(origin, x_server, 1, days_ago=40)
    assert accord(origin.clone(), "metrics", "pull", "--days", "60", env=x_env()).code == 0
    totals = _metrics(origin, pid)["targets"]["brand-x"]["totals"]
    tweet = next(t for t in x_server.tweets if t["id"] == tweet_id)
    assert totals["impressions"] == tweet["public_metrics"]["impression_count"] and "link_clicks" not in totals
    [lookup] = x_server.requests_to("GET", "/2/tweets")
    assert lookup["tweet.fields"] == "public_metrics"


def test_targets_older_than_the_window_are_left_alone(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    [(pid, _)] = _published(origin, x_server, 1, days_ago=40)
    run = accord(origin.clone(), "metrics", "pull", env=x_env())
    assert run.code == 0 and "nothing published in the window" in run.out
    assert x_server.requests_to("GET", "/2/tweets") == [] and _metrics(origin, pid) is None


def test_a_post_deleted_on_the_network_is_recorded_once_and_not_asked_about_again(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    [(kept, _), (gone, [gone_id])] = _published(origin, x_server, 2)
    next(t for t in x_server.tweets if t["id"] == gone_id)["deleted"] = True
    runner = origin.clone()
    run = accord(runner, "metrics", "pull", "--format", "json", env=x_env())
    assert run.code == 0 and run.report["accounts"][0]["gone"] == 1
    assert _metrics(origin, gone)["targets"]["brand-x"]["gone_at"]
    assert _metrics(origin, kept)["targets"]["brand-x"]["totals"]["likes"] > 0
    accord(runner, "metrics", "pull", env=x_env())
    last = x_server.requests_to("GET", "/2/tweets")[-1]
    assert gone_id not in last["ids"].split(",")


def test_a_failure_mid_way_keeps_what_was_read_and_fails_only_that_account(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    origin.write("content/brand/accounts/news-x.yaml", SECOND_X.format(api_base=x_server.base))
    first = _published(origin, x_server, 150)
    other = _published(origin, x_server, 2, account="news-x", campaign="second")
    origin.write("content/brand/second/campaign.yaml", (origin.seed / "content/brand/launch/campaign.yaml").read_text())
    origin.write("content/brand/launch/outbox-post.yaml", post("To the outbox", ["brand-outbox"], minutes_ago(60)))
    origin.push()
    x_server.fail("GET", "/2/tweets", "status", status=503, after=1)  # the second lookup fails
    run = accord(origin.clone(), "metrics", "pull", "--format", "json", env=x_env())
    assert run.code == 1
    by = {a["account"]: a for a in run.report["accounts"]}
    assert by["brand-x"]["status"] == "failed" and by["brand-x"]["read"] == 100
    assert "Gave up on this account after 100 of 150 post ids" in by["brand-x"]["detail"]
    assert by["news-x"]["status"] == "ok" and by["news-x"]["read"] == 2
    assert _metrics(origin, first[0][0]) is not None and _metrics(origin, first[149][0]) is None
    assert all(_metrics(origin, pid) for pid, _ in other)


def test_a_near_rate_limit_is_waited_for_and_a_far_one_gives_up_with_a_sentence(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    [(pid, _)] = _published(origin, x_server, 1)
    runner = origin.clone()
    x_server.fail("GET", "/2/tweets", "rate_limit", reset=int(time.time()) + 1)
    run = accord(runner, "metrics", "pull", "--format", "json", env=x_env())
    assert run.code == 0 and run.report["accounts"][0]["requests"] == 2 and _metrics(origin, pid)
    x_server.fail("GET", "/2/tweets", "rate_limit", reset=int(time.time()) + 7200)
    run = accord(runner, "metrics", "pull", "--format", "json", env=x_env())
    assert run.code == 1
    detail = run.report["accounts"][0]["detail"]
    assert "rate limit" in detail and "longer than accord waits" in detail


def test_missing_credentials_fail_that_account_with_a_sentence_and_secrets_stay_out(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    _published(origin, x_server, 1)
    env = {**x_env(), "BRAND_X_ACCESS_TOKEN": ""}
    run = accord(origin.clone(), "metrics", "pull", env=env)
    assert run.code == 1 and "BRAND_X_ACCESS_TOKEN is not set" in run.out
    assert x_env()["BRAND_X_API_SECRET"] not in run.out + run.err


def test_the_outbox_has_no_metrics_and_says_so(origin):
    origin.write("content/brand/launch/teaser.yaml", post("Out", ["brand-outbox"], minutes_ago(3)))
    origin.push()
    runner = origin.clone()
    assert publish(runner).code == 0
    run = accord(runner, "metrics", "pull", "--format", "json")
    assert run.code == 0, run.err
    [account] = run.report["accounts"]
    assert account["status"] == "no-metrics" and "no network to ask" in account["detail"]


def test_pull_runs_on_the_default_branch_only(origin):
    runner = origin.clone()
    git.Repo(runner).git.checkout("-q", "-b", "elsewhere")
    run = accord(runner, "metrics", "pull")
    assert run.code == 2 and "default branch 'main'" in run.err


def test_a_pull_racing_a_publish_run_loses_neither_commit(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    pulled = _published(origin, x_server, 40)
    for i in range(4):
        origin.write(f"content/news/weekly/due-{i}.yaml", post(f"Due now {i}", ["news-outbox"], minutes_ago(1)))
    origin.push("Posts due now")
    a, b = origin.clone(), origin.clone()
    env = child_env(x_env())
    publishing = subprocess.Popen(publish_cmd(a), cwd=a, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pulling = subprocess.Popen(publish_cmd(b)[:-1] + ["metrics", "pull"], cwd=b, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert pulling.wait(timeout=120) == 0, pulling.stderr.read()
    assert publishing.wait(timeout=120) == 0, publishing.stderr.read()
    assert all(_metrics(origin, pid) for pid, _ in pulled)
    assert all(origin.entry(f"news/weekly/due-{i}", "news-outbox")["status"] == "published" for i in range(4))
    subjects = [s for _, s in origin.log()]
    assert "accord: metrics of 40 target(s) [skip ci]" in subjects
    assert sum(bool(re.match(r"accord \S+: published news/weekly/due-", s)) for s in subjects) == 4  # the run names itself


def test_a_retracted_post_is_recorded_gone_at_its_retraction_once(tmp_path, x_server):
    from publisher.conftest import post as post_yaml

    origin = Origin(tmp_path, x_base=x_server.base)
    origin.write("content/brand/launch/teaser.yaml", post_yaml("Out on X", ["brand-x"], minutes_ago(2)))
    origin.push()
    runner = origin.clone()
    assert publish(runner, env=x_env()).code == 0
    assert accord(runner, "metrics", "pull", env=x_env()).code == 0
    origin.write("content/brand/launch/teaser.yaml", post_yaml("Out on X", ["brand-x"], minutes_ago(2), status="retracted"))
    origin.push("Retract the teaser")
    assert publish(runner, env=x_env()).code == 0 and x_server.posts == []
    lookups = len(x_server.requests_to("GET", "/2/tweets"))
    run = accord(runner, "metrics", "pull", "--format", "json", env=x_env())
    assert run.code == 0 and run.report["accounts"][0]["gone"] == 1
    target = _metrics(origin, "brand/launch/teaser")["targets"]["brand-x"]
    assert target["gone_at"] == origin.entry("brand/launch/teaser", "brand-x")["retracted_at"]
    assert target["totals"]["likes"] > 0  # what it did before it was taken down stays
    commits = len(origin.log())
    assert accord(runner, "metrics", "pull", env=x_env()).code == 0
    assert len(origin.log()) == commits and len(x_server.requests_to("GET", "/2/tweets")) == lookups


def test_with_a_state_branch_the_metrics_go_there_and_the_report_reads_them(tmp_path, x_server):
    origin = Origin(tmp_path, x_base=x_server.base)
    origin.write("accord.yaml", (origin.seed / "accord.yaml").read_text() + "state:\n  branch: accord-state\n")
    origin.write("content/brand/launch/teaser.yaml", post("Out on X", ["brand-x"], minutes_ago(2)))
    origin.push()
    runner = origin.clone()
    assert publish(runner, env=x_env()).code == 0
    assert accord(runner, "metrics", "pull", env=x_env()).code == 0
    shown = git.Repo(origin.bare).git.show("accord-state:state/metrics/brand/launch/teaser.json")
    likes = json.loads(shown)["targets"]["brand-x"]["totals"]["likes"]
    assert _metrics(origin, "brand/launch/teaser") is None  # main holds no machine state
    report = accord(runner, "report", "--format", "json")
    [x] = [a for a in json.loads(report.out)["accounts"] if a["name"] == "brand-x"]
    assert x["top"][0]["engagements"] >= likes > 0
