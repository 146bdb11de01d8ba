from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "partons.ideas"
    label = "ideas"
    verbose_name = _("Idea box")

    def ready(self):
        from partons.core import gdpr

        gdpr.declare("ideas", export=_export, erase=_erase, covers={
            "ideas.Idea": "author: exported; the idea stays, unsigned, its photos go; recorded_by (staff): set empty",
            "ideas.Comment": "author: exported; the comment stays, unsigned",
            "ideas.Support": "user: exported; removed (and counted out)",
            "ideas.Follow": "user: exported; removed",
            "ideas.Flag": "by: exported; kept for moderation, unsigned",
            "ideas.StatusChange": "by: the team member who changed a status; kept, unsigned",
            "ideas.ModerationAction": "by: the moderator; kept, unsigned",
        })


def _export(user) -> dict:
    from partons.core.text import plain

    from .models import Comment, Flag, Follow, Idea, Support

    return {
        "ideas": [{"id": i.pk, **{f: plain(getattr(i, f)) for f in Idea.AUTHOR_FIELDS},
                   "village": i.village.slug if i.village_id else None, "photos": [p.image.name for p in i.photos.all()]}
                  for i in Idea.objects.filter(author=user).select_related("village").prefetch_related("photos")],
        "comments": [{"idea": c.idea_id, "body": c.body, "hidden": c.hidden, "hidden_reason": c.hidden_reason,
                      "created_at": c.created_at.isoformat()} for c in Comment.objects.filter(author=user)],
        "supports": [{"idea": s.idea_id, "created_at": s.created_at.isoformat()} for s in Support.objects.filter(user=user)],
        "follows": [f.idea_id for f in Follow.objects.filter(user=user)],
        "flags": [{"idea": f.idea_id, "comment": f.comment_id, "reason": f.reason, "created_at": f.created_at.isoformat()}
                  for f in Flag.objects.filter(by=user)],
    }


def _erase(user) -> None:
    """Ideas and comments are the village's conversation: they stay, without their author's name, and the
    photos go (they may show people). Supports (and their counts), follows and flags go."""
    from django.db.models import F
    from django.utils import timezone

    from .models import Comment, Flag, Follow, Idea, IdeaPhoto, Support

    for photo in IdeaPhoto.objects.filter(idea__author=user):
        photo.image.delete(save=False)
        photo.delete()
    for s in Support.objects.filter(user=user):
        Idea.objects.filter(pk=s.idea_id).update(supports_count=F("supports_count") - 1, updated_at=timezone.now())
        s.delete()
    Follow.objects.filter(user=user).delete()
    Flag.objects.filter(by=user).update(by=None)
    Idea.objects.filter(author=user).update(author=None, updated_at=timezone.now())
    Comment.objects.filter(author=user).update(author=None)
