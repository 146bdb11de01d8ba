"""The demo ideas: written through the idea box's services, flagged synthetic, and notifying no one."""
import pytest

from partons.ideas import services
from partons.ideas.demo import load_demo_ideas
from partons.ideas.models import Idea

from ..conftest import make_user


@pytest.mark.django_db(transaction=True)  # committed as `make run` commits them: the notifications go at the commit
def test_demo_ideas_are_synthetic_answered_in_both_languages_and_send_no_mail(territory, moderator, mailoutbox):
    bewoner, habitante = make_user("bewoner@example.org"), make_user("habitante@example.org")
    made = load_demo_ideas(residents=[bewoner, habitante], team=moderator, log=lambda *_: None)
    ideas = Idea.objects.order_by("pk")
    # the test region has Kemmel, Loker and Boeschepe of the demo's villages
    assert made == 3 and {i.village.name_nl for i in ideas} == {"Kemmel", "Loker", "Boeschepe"}
    assert all(i.synthetic for i in ideas) and {i.language for i in ideas} == {"nl", "fr"}
    assert {i.status for i in ideas} == {"under_review", "sent_to_municipality", "project"}
    assert mailoutbox == []  # comments and answers of made-up residents reach no mailbox
    assert load_demo_ideas(residents=[bewoner, habitante], team=moderator, log=lambda *_: None) == 0  # once only
    # positive control: outside the demo, a comment reaches the idea's followers
    kemmel = ideas.get(village__name_nl="Kemmel")
    services.comment(idea=kemmel, by=moderator, body="Wij nemen contact op met de bakker.")
    assert [m.to for m in mailoutbox] and all(m.to != ["moderator@example.org"] for m in mailoutbox)
