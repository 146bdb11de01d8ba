"""Writing publications: who may, what a file must be, what a video must be, and that files follow their record."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from partons.publications import services
from partons.publications.models import Publication

from .conftest import PDF, PNG, docx_bytes, upload

FIELDS = dict(kind="report", title_nl="Eindrapport Callicanes", title_fr="Rapport final Callicanes",
              summary_nl="Een nieuwe rol voor de oude douanepost.", summary_fr="Un nouveau rôle pour l’ancien poste de douane.",
              theme="village_centres", published_on=datetime.date(2018, 1, 1), language="bilingual")


@pytest.mark.django_db
def test_coordinator_adds_a_report_with_a_pdf_stored_under_a_random_name(coordinator):
    pub = services.create_publication(by=coordinator, upload=upload("Masterplan Callicanes.pdf"), **FIELDS)
    pub.refresh_from_db()
    assert pub.slug == "eindrapport-callicanes"
    assert (pub.file_name, pub.file_size, pub.file_type) == ("Masterplan Callicanes.pdf", len(PDF), "application/pdf")
    assert "Callicanes" not in pub.file.name and pub.file.name.endswith(".pdf")
    assert default_storage.open(pub.file.name).read() == PDF
    assert pub.created_by == coordinator and pub.licence == "All rights reserved" and not pub.published
    assert "l’ancien poste de douane" in pub.summary_fr and "ancien" in pub.search_text


@pytest.mark.django_db
def test_a_second_publication_with_the_same_title_gets_its_own_address(coordinator):
    first = services.create_publication(by=coordinator, **FIELDS)
    second = services.create_publication(by=coordinator, **FIELDS)
    assert (first.slug, second.slug) == ("eindrapport-callicanes", "eindrapport-callicanes-2")


@pytest.mark.django_db
def test_a_png_named_pdf_is_refused_naming_the_file(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.create_publication(by=coordinator, upload=upload("kaart.pdf", PNG), **FIELDS)
    assert "kaart.pdf" in " ".join(exc.value.messages)
    assert Publication.objects.count() == 0


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_naming_the_file(coordinator):
    big = upload("groot.pdf")
    big.size = services.MAX_FILE_BYTES + 1
    with pytest.raises(ValidationError) as exc:
        services.create_publication(by=coordinator, upload=big, **FIELDS)
    assert "groot.pdf" in exc.value.messages[0] and "25 MB" in exc.value.messages[0]
    assert Publication.objects.count() == 0


@pytest.mark.django_db
def test_kinds_not_accepted_and_fake_office_files_are_refused(coordinator):
    with pytest.raises(ValidationError, match="script.html"):
        services.create_publication(by=coordinator, upload=upload("script.html", b"<script>"), **FIELDS)
    # A zip that is not a Word document, named .docx, passes the first-bytes check but not ours.
    with pytest.raises(ValidationError, match="notulen.docx"):
        services.create_publication(by=coordinator, upload=upload("notulen.docx", docx_bytes(member="other.xml")), **FIELDS)
    pub = services.create_publication(by=coordinator, upload=upload("notulen.docx", docx_bytes()), **FIELDS)
    assert pub.file_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert pub.file_kind == "DOCX"


@pytest.mark.django_db
def test_a_video_needs_a_link_and_takes_no_file(coordinator):
    video = {**FIELDS, "kind": "video"}
    with pytest.raises(ValidationError) as exc:
        services.create_publication(by=coordinator, **video)
    assert "url" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_publication(by=coordinator, upload=upload(), url="https://video.example.org/1", **video)
    assert "file" in exc.value.message_dict
    assert Publication.objects.count() == 0
    pub = services.create_publication(by=coordinator, url="https://video.example.org/1", **video)
    assert pub.kind == "video" and not pub.file
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=pub.pk).update(file="publications/x.pdf")


@pytest.mark.django_db
def test_only_links_on_the_web_are_accepted(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.create_publication(by=coordinator, url="javascript:alert(1)", **FIELDS)
    assert "url" in exc.value.message_dict


@pytest.mark.django_db
def test_residents_and_visitors_cannot_write(resident, coordinator):
    from django.contrib.auth.models import AnonymousUser

    for who in (resident, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.create_publication(by=who, **FIELDS)
    pub = services.create_publication(by=coordinator, **FIELDS)
    with pytest.raises(PermissionDenied):
        services.update_publication(by=resident, publication=pub, title_nl="Anders")
    with pytest.raises(PermissionDenied):
        services.set_published(by=resident, publication=pub, published=True)
    with pytest.raises(PermissionDenied):
        services.delete_publication(by=resident, publication=pub)
    assert Publication.objects.get().title_nl == "Eindrapport Callicanes"


@pytest.mark.django_db
def test_a_file_must_go_through_the_checks(coordinator):
    from django.core.files.base import ContentFile

    with pytest.raises(ValueError):
        services.create_publication(by=coordinator, file=ContentFile(PNG, name="x.pdf"), **FIELDS)


@pytest.mark.django_db
def test_replacing_or_removing_a_file_deletes_the_old_one_after_commit(coordinator, django_capture_on_commit_callbacks):
    pub = services.create_publication(by=coordinator, upload=upload("v1.pdf"), **FIELDS)
    first = pub.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_publication(by=coordinator, publication=pub, upload=upload("v2.png", PNG))
    pub.refresh_from_db()
    assert (pub.file_name, pub.file_type, pub.file_size) == ("v2.png", "image/png", len(PNG))
    assert not default_storage.exists(first) and default_storage.exists(pub.file.name)
    second = pub.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_publication(by=coordinator, publication=pub, remove_file=True)
    pub.refresh_from_db()
    assert not pub.file and (pub.file_name, pub.file_size, pub.file_type) == ("", 0, "")
    assert not default_storage.exists(second)


@pytest.mark.django_db
def test_deleting_a_publication_deletes_its_file(coordinator, django_capture_on_commit_callbacks):
    pub = services.create_publication(by=coordinator, upload=upload(), **FIELDS)
    name = pub.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_publication(by=coordinator, publication=pub)
    assert not Publication.objects.exists() and not default_storage.exists(name)


@pytest.mark.django_db
def test_admin_form_runs_the_same_checks(client, coordinator):
    client.force_login(coordinator)
    url = "/en/admin/publications/publication/add/"
    data = {"kind": "report", "title_nl": "Kaart", "title_fr": "Carte", "slug": "", "theme": "cross_border",
            "published_on": "2021-03-01", "date_precision": "day", "language": "bilingual", "licence": "CC BY 4.0",
            "author_organisation": "", "summary_nl": "", "summary_fr": "", "url": ""}
    r = client.post(url, {**data, "file": upload("kaart.pdf", PNG)})
    assert r.status_code == 200 and "kaart.pdf" in r.content.decode() and not Publication.objects.exists()
    r = client.post(url, {**data, "kind": "video", "url": "https://video.example.org/1", "file": upload("film.pdf")})
    assert r.status_code == 200 and not Publication.objects.exists()
    assert "A video is published as a link, not as a file" in r.content.decode()
    r = client.post(url, {**data, "kind": "video"})
    assert r.status_code == 200 and "A video needs the link" in r.content.decode()
    r = client.post(url, {**data, "file": upload("kaart.pdf")})
    assert r.status_code == 302, r.content.decode()[:3000]
    pub = Publication.objects.get()
    assert (pub.slug, pub.file_name, pub.file_type, pub.created_by) == ("kaart", "kaart.pdf", "application/pdf", coordinator)
    # Turning it into a video needs the file removed (and a link).
    change = f"/en/admin/publications/publication/{pub.pk}/change/"
    r = client.post(change, {**data, "slug": "kaart", "kind": "video", "url": "https://video.example.org/2"})
    assert r.status_code == 200 and "remove the file" in r.content.decode()
    r = client.post(change, {**data, "slug": "kaart", "kind": "video", "url": "https://video.example.org/2",
                             "remove_file": "on"})
    assert r.status_code == 302
    pub.refresh_from_db()
    assert pub.kind == "video" and not pub.file and pub.file_name == ""


@pytest.mark.django_db
def test_erasing_an_account_keeps_the_publication_without_its_creator(coordinator):
    from partons.core.gdpr import erase_account, export_personal_data

    pub = services.create_publication(by=coordinator, **FIELDS)
    assert export_personal_data(coordinator)["publications"]["created"][0]["slug"] == pub.slug
    erase_account(coordinator, password="a-long-test-password")
    pub.refresh_from_db()
    assert pub.created_by is None

