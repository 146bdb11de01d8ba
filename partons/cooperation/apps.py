from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "partons.cooperation"
    label = "cooperation"
    verbose_name = _("Cross-border cooperation")

    def ready(self):
        from partons.core import gdpr

        gdpr.declare("cooperation", export=_export, erase=_erase, covers={
            "cooperation.Membership": "user: memberships exported; removed on erasure",
            "cooperation.Meeting": "minutes_by, created_by: exported (minutes written); the minutes stay, unsigned",
            "cooperation.MeetingAttachment": "uploaded_by: the group's files stay, unsigned",
        })


def _export(user) -> dict:
    """A person's memberships of the groups (and what they agreed to show), and the minutes they wrote."""
    from .models import Meeting, Membership

    return {
        "memberships": [{"group": m.group.slug, "group_name": m.group.name, "kind": m.group.kind,
                         "organisation": m.organisation.name if m.organisation_id else None, "role": m.role,
                         "is_chair": m.is_chair, "show_contact": m.show_contact, "joined": m.joined.isoformat()}
                        for m in Membership.objects.filter(user=user).select_related("group", "organisation")],
        "minutes_written": [{"meeting": m.pk, "group": m.group.slug, "starts_at": m.starts_at.isoformat()}
                            for m in Meeting.objects.filter(minutes_by=user).select_related("group")],
    }


def _erase(user) -> None:
    """Memberships go; the meetings, minutes and files the person recorded stay with the group, unsigned."""
    from .models import Meeting, MeetingAttachment, Membership

    Membership.objects.filter(user=user).delete()
    Meeting.objects.filter(minutes_by=user).update(minutes_by=None)
    Meeting.objects.filter(created_by=user).update(created_by=None)
    MeetingAttachment.objects.filter(uploaded_by=user).update(uploaded_by=None)
