"""A jury that cannot be gamed: scores are final once the other jurors' are shown, a conflicted juror sees the title
and nothing else, a revoked juror loses the application and its files at once; each refusal beside the allowed case."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import translation

from partons.calls import selectors, services
from partons.calls.models import Attachment, AuditEntry, Score
from partons.core.roles import Role, revoke_role

from ..conftest import url
from .test_services import _submitted

IDEA_TEXT = "Een ontmoetingsplek"  # the application's text (see `draft`)


@pytest.fixture
def jury(call, territory, costs, resident, coordinator, jurors):
    app = _submitted(call, territory, costs, resident, coordinator)
    assignments = services.assign_jurors(by=coordinator, application=app, jurors=jurors)
    att = Attachment.objects.create(application=app, name="plan.pdf", size=8)
    att.file.save("plan.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return app, assignments, att, list(call.criteria.all())


@pytest.mark.django_db
def test_scores_are_final_once_the_other_jurors_scores_are_shown(jury, jurors):
    app, a, _att, crit = jury
    services.score(by=jurors[1], assignment=a[1], values={c.pk: (7, "") for c in crit})
    services.score(by=jurors[0], assignment=a[0], values={c.pk: (1, "") for c in crit})  # accepted: the first time
    seen = selectors.scores_for(viewer=jurors[0], application=app)
    assert {x.juror for x in seen if x.completed_at} == set(jurors[:2])  # sees the 7s
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        services.score(by=jurors[0], assignment=a[0], values={c.pk: (10, "") for c in crit})
    assert "final" in str(exc.value)
    assert sorted(Score.objects.filter(assignment=a[0]).values_list("value", flat=True)) == [1, 1]
    entry = AuditEntry.objects.get(action="scored", by=jurors[0])
    assert sorted(entry.details["scores"].values()) == [1, 1]  # what was given is in the audit trail


@pytest.mark.django_db
def test_a_conflict_declared_after_scoring_keeps_the_scores_on_record_and_out_of_the_ranking(jury, jurors):
    app, a, _att, crit = jury
    services.score(by=jurors[0], assignment=a[0], values={c.pk: (10, "") for c in crit})
    services.score(by=jurors[1], assignment=a[1], values={c.pk: (4, "") for c in crit})
    assert selectors.weighted_score(app) == 70.0
    services.declare_conflict(by=jurors[0], assignment=a[0], note="Mijn buurman")
    assert selectors.weighted_score(app) == 40.0  # out of the ranking...
    assert Score.objects.filter(assignment=a[0]).count() == 2  # ...but on record
    entry = AuditEntry.objects.get(action="conflict_declared")
    assert entry.details["after_scoring"] is True and entry.details["note"] == "Mijn buurman"


@pytest.mark.django_db
def test_a_conflicted_juror_sees_the_title_and_nothing_else(client, jury, jurors):
    app, a, att, _crit = jury
    services.declare_conflict(by=jurors[2], assignment=a[2], note="Familie")
    client.force_login(jurors[0])  # positive control: an unconflicted juror reads the text and the file
    page = client.get(url("calls:jury_score", pk=a[0].pk)).content.decode()
    assert app.title in page and IDEA_TEXT in page
    assert client.get(url("calls:attachment", pk=app.pk, attachment_id=att.pk)).status_code == 200
    client.force_login(jurors[2])
    page = client.get(url("calls:jury_score", pk=a[2].pk)).content.decode()
    assert app.title in page and IDEA_TEXT not in page and "Dorpsraad Loker" not in page
    assert 'name="criterion_' not in page  # no scoring form either
    assert client.get(url("calls:attachment", pk=app.pk, attachment_id=att.pk)).status_code == 404


@pytest.mark.django_db
def test_a_juror_whose_role_is_revoked_loses_the_application_and_its_files_at_once(client, jury, jurors, coordinator):
    app, a, att, crit = jury
    client.force_login(jurors[0])
    assert client.get(url("calls:attachment", pk=app.pk, attachment_id=att.pk)).status_code == 200
    assert client.get(url("calls:jury_score", pk=a[0].pk)).status_code == 200
    revoke_role(jurors[0], Role.JURY_MEMBER, by=coordinator)
    assert client.get(url("calls:attachment", pk=app.pk, attachment_id=att.pk)).status_code == 404
    assert client.get(url("calls:jury_score", pk=a[0].pk)).status_code == 404
    assert client.get(url("calls:jury")).status_code == 403
    with pytest.raises(Exception):
        services.score(by=jurors[0], assignment=a[0], values={c.pk: (5, "") for c in crit})


@pytest.mark.django_db
def test_only_coordinators_open_a_calls_review(client, call, resident, jurors, coordinator):
    review = url("calls:review", slug=call.slug)
    client.force_login(coordinator)
    assert client.get(review).status_code == 200  # positive control
    for someone in (resident, jurors[0]):
        client.force_login(someone)
        assert client.get(review).status_code == 403


@pytest.mark.django_db
def test_only_jury_members_open_the_jury_home(client, jury, jurors, resident):
    _app, a, _att, _crit = jury
    client.force_login(jurors[0])
    page = client.get(url("calls:jury"))
    assert page.status_code == 200 and url("calls:jury_score", pk=a[0].pk) in page.content.decode()
    client.force_login(resident)
    assert client.get(url("calls:jury")).status_code == 403
    client.logout()
    assert client.get(url("calls:jury")).status_code == 302


# Who opens what of an application under review: every role, every page and file, in one table. 200 = allowed;
# 302 = sent to the login page; 403/404 = refused (404 where saying "it exists" would already leak).
MATRIX = {
    #                 application page, its file, scoring page of juror 0, review page, funded-projects page
    "anonymous":      (302, 302, 302, 302, 302),
    "resident":       (404, 404, 404, 403, 403),
    "applicant":      (200, 200, 404, 403, 403),
    "coordinator":    (200, 200, 404, 200, 200),
    "juror":          (200, 200, 200, 403, 403),
    "other_juror":    (404, 404, 404, 403, 403),
    "conflicted":     (404, 404, 404, 403, 403),
    "revoked_juror":  (404, 404, 404, 403, 403),
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(MATRIX))
def test_who_opens_what_of_an_application(client, jury, jurors, resident, coordinator, call, who):
    from ..conftest import make_user

    app, a, att, _crit = jury
    services.declare_conflict(by=jurors[2], assignment=a[2], note="Familie")
    people = {"anonymous": None, "resident": make_user("someone@example.org", role=Role.RESIDENT),
              "applicant": resident, "coordinator": coordinator, "juror": jurors[0], "conflicted": jurors[2],
              "other_juror": make_user("jury9@example.org", role=Role.JURY_MEMBER)}
    if who == "revoked_juror":
        revoke_role(jurors[0], Role.JURY_MEMBER, by=coordinator)
        people[who] = jurors[0]
    if people[who] is not None:
        client.force_login(people[who])
    pages = [url("calls:application", pk=app.pk), url("calls:attachment", pk=app.pk, attachment_id=att.pk),
             url("calls:jury_score", pk=a[0].pk), url("calls:review", slug=call.slug), url("calls:projects", slug=call.slug)]
    got = tuple(client.get(p).status_code for p in pages)
    assert got == MATRIX[who]


@pytest.mark.django_db
def test_the_jury_and_the_coordinators_read_everything_the_applicant_submitted(client, jury, jurors, coordinator):
    app, a, att, _crit = jury
    app.partners, app.timeline, app.cross_border = "Maison de quartier Steenvoorde", "Voorjaar: enquête", True
    app.save()
    for who, path in ((jurors[0], url("calls:jury_score", pk=a[0].pk)), (coordinator, url("calls:application", pk=app.pk)),
                      (jurors[0], url("calls:application", pk=app.pk))):
        client.force_login(who)
        page = client.get(path).content.decode()
        assert "Maison de quartier Steenvoorde" in page and "Voorjaar: enquête" in page  # partners, timeline
        assert url("calls:attachment", pk=app.pk, attachment_id=att.pk) in page  # the files
        for line in app.budget_lines.all():
            assert line.description in page  # every budget line
        assert all(v.name in page for v in app.villages.all())
    # the review page opens each application; a conflicted juror still reads the title and nothing else
    client.force_login(coordinator)
    review = client.get(url("calls:review", slug=app.call.slug)).content.decode()
    assert url("calls:application", pk=app.pk) in review
    compare = review[review.index('data-testid="compare"'):review.index("</table>", review.index('data-testid="compare"'))]
    assert app.title in compare and all(v.name in compare for v in app.villages.all())
    assert '<td class="num">1</td>' in compare  # its one file
    services.declare_conflict(by=jurors[2], assignment=a[2], note="Buurman")
    client.force_login(jurors[2])
    page = client.get(url("calls:jury_score", pk=a[2].pk)).content.decode()
    assert app.title in page and "Maison de quartier Steenvoorde" not in page


def test_a_side_without_candidates_is_said_not_silently_dropped():
    from partons.calls.selection import Candidate, select

    cands = [Candidate(1, 80, 5_000, "BE"), Candidate(2, 70, 5_000, "BE")]
    result = select(cands, budget_cents=10_000, max_projects=2, min_per_side=1, sides=("BE", "FR"))
    assert result.selected == [1, 2] and result.relaxed == [("FR", 0, 1)]
    # positive control: with a French candidate, nothing is relaxed and it is chosen
    result = select(cands + [Candidate(3, 50, 5_000, "FR")], budget_cents=10_000, max_projects=2, min_per_side=1,
                    sides=("BE", "FR"))
    assert result.relaxed == [] and 3 in result.selected
