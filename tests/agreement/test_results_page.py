"""The results page on the 70/30 round: the two orders, the groups, each voter's own place, and no one else's."""

from __future__ import annotations

import re

import pytest

from debate.extensions import db
from debate.models import Role
from debate.models.agreement import AgreementPlacement, AgreementResult, Statement
from debate.models.forums import Thread
from debate.services.agreement import pages, results, rounds
from tests.agreement.pages_fixtures import C, P, Round70, build_round70
from tests.conftest import PASSWORD

LABEL = re.compile(r"Group ([A-E])\b")


@pytest.fixture
def round70(app, topic, make_user) -> Round70:
    return build_round70(topic, make_user, PASSWORD)


def _html(client, round_id: int, **args) -> str:
    answer = client.get(f"/rounds/{round_id}/results", query_string=args)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_where_we_agree_ranks_c_above_p_and_most_agreed_p_first(client, round70):
    html = _html(client, round70.round.id, all="1")
    consensus, most = _section(html, "consensus"), _section(html, "most-agreed")
    assert consensus.index(C) < consensus.index(P)
    assert most.index(P) < most.index(C)
    assert re.search(r'<li class="agree-statement" id="m-(\d+)"', most).group(1) == str(round70.statements[P])


def test_exactly_two_groups_with_their_sizes_and_shares(client, round70):
    html = _html(client, round70.round.id)
    groups = _section(html, "groups")
    assert sorted(set(LABEL.findall(groups))) == ["A", "B"]
    assert "Group A: 70 people" in groups and "Group B: 30 people" in groups
    item = _section(html, "consensus")
    c_item = item[item.index(C) :]
    assert re.search(r"Group A</span>.*?60%", c_item, re.S) and re.search(r"Group B</span>.*?60%", c_item, re.S)


def test_representative_statements_state_the_test(client, round70):
    html = _html(client, round70.round.id)
    differs = html[html.index('id="differs"') :]
    assert "one-sided two-proportion z-test, z = " in differs
    stated = (
        r"Group [AB] (agrees|disagrees) \d+% against \d+% of everyone else; "
        r"one-sided two-proportion z-test, z = \d+\.\d, p < 0\.0\d*"
    )
    assert re.search(stated, differs)
    assert "Where Group A differs from the rest" in differs and "Where Group B differs from the rest" in differs


def test_a_placed_voter_sees_their_own_group_and_map(client, login, round70):
    voter = round70.bloc_b[3]
    login(voter)
    html = _html(client, round70.round.id)
    you = _section(html, "you")
    assert "You are in Group B, with 29 others." in you
    assert 'role="img"' in you and "<title" in you and "<desc" in you
    assert you.count('class="group-you"') == 1  # their own point, nobody else's


def test_a_voter_with_few_votes_is_told_how_many_more(client, login, round70):
    login(round70.low[0])
    you = _section(_html(client, round70.round.id), "you")
    assert "Vote on 3 more statements to see where you sit." in you
    assert "You are in Group" not in you


def test_nobody_else_s_group_is_on_the_page(client, login, round70):
    """Signed in as a voter of bloc A, the page names B's size but no member of any group; no voter id is in it."""
    login(round70.bloc_a[0])
    html = _html(client, round70.round.id)
    for other in (round70.bloc_b[0], round70.bloc_a[1]):
        assert other.display_name not in html
    placements = db.session.query(AgreementPlacement).count()
    assert placements == 100
    assert "You are in Group A, with 69 others." in html
    assert html.count("You are in Group") == 1


def test_not_enough_votes_says_so_with_the_thresholds(client, app, topic, make_user):
    moderator = make_user(Role.MODERATOR)
    created = rounds.create_round(moderator, topic_id=topic.id, question="Is this enough?", seed_statements=("One.",))
    rounds.open_round(moderator, created)
    html = _html(client, created.id)
    assert "Not enough votes yet" in html
    assert "we need at least 10 people who have each voted on 7 statements" in html
    assert 'id="consensus"' not in html and 'id="most-agreed"' not in html


def test_below_the_thresholds_after_a_computation(app, round70):
    """A stored result that is not enough: the page's content has no order at all."""
    result = db.session.query(AgreementResult).one()
    public = dict(result.public) | {"enough": False, "groups": [], "consensus_order": [], "most_agreed": []}
    shown = pages.build(public, {}, {"computed_at": result.computed_at, "duration_ms": 1})
    assert not shown.enough and shown.consensus == [] and shown.most_agreed == [] and shown.groups == []


def test_the_results_are_the_same_for_a_fixed_seed(app, round70):
    first = db.session.query(AgreementResult).one().public
    round70.round.changes += 1
    db.session.commit()
    results.recompute(round70.round.id)
    db.session.expire_all()
    again = db.session.query(AgreementResult).one().public
    assert again["consensus_order"] == first["consensus_order"] and again["groups"] == first["groups"]


def test_show_all_and_a_draft_is_not_found(client, round70):
    assert _html(client, round70.round.id, all="1").count('class="agree-statement"') == 28
    assert client.get("/rounds/999999/results").status_code == 404


def test_signed_out_readers_see_no_one_s_place(client, round70):
    html = _html(client, round70.round.id)
    assert "group-you" not in html and "You are in Group" not in html
    assert "and vote to see which group you are in" in html


def test_a_statement_hidden_since_the_computation_drops_out(client, round70):
    hidden = db.session.get(Statement, round70.statements[C])
    hidden.state = "removed"
    db.session.commit()
    assert C not in _html(client, round70.round.id, all="1")
    assert C not in client.get(f"/rounds/{round70.round.id}/report.csv").get_data(as_text=True)


def test_the_thread_page_has_the_box_for_a_round_on_it(client, app, topic, make_user):
    moderator = make_user(Role.MODERATOR)
    thread = Thread(topic_id=topic.id, author_id=moderator.id, title="The depot", body="What now?")
    db.session.add(thread)
    db.session.commit()
    created = rounds.create_round(moderator, thread_id=thread.id, question="What should the depot become?")
    rounds.open_round(moderator, created)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Where do we agree?" in page and "What should the depot become?" in page
    assert f"/rounds/{created.id}/results" in page and f'/rounds/{created.id}"' in page


def test_every_voter_with_seven_votes_sees_their_own_group_and_the_others_do_not(app, round70):
    """At the service: each of the 100 bloc voters is placed, in their bloc's group; the three with four votes
    are told how many more they need."""
    seen = {}
    for voter in (*round70.bloc_a, *round70.bloc_b):
        seat = pages.page(round70.round.id, voter).seat
        assert seat.label is not None and seat.map is not None
        seen[voter.id] = seat.label
    assert len({seen[v.id] for v in round70.bloc_a}) == 1 and len({seen[v.id] for v in round70.bloc_b}) == 1
    assert seen[round70.bloc_a[0].id] != seen[round70.bloc_b[0].id]
    for voter in round70.low:
        seat = pages.page(round70.round.id, voter).seat
        assert seat.label is None and seat.map is None and seat.needed == 3
