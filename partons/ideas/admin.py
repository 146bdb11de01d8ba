"""The idea box in the admin: for looking things up. Decisions (status, hiding, restoring) go through the idea's
page, which records them in the public history and tells the followers."""
from django.contrib import admin

from .models import Comment, Flag, Idea, ModerationAction, StatusChange


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Idea)
class IdeaAdmin(ReadOnly):
    list_display = ("title", "village", "theme", "status", "source", "supports_count", "comments_count", "hidden", "created_at")
    list_filter = ("status", "theme", "source", "hidden", "language")
    search_fields = ("title", "search_text")
    list_select_related = ("village",)


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ("idea", "created_at", "official", "hidden")
    list_filter = ("official", "hidden")
    list_select_related = ("idea",)


@admin.register(Flag)
class FlagAdmin(ReadOnly):
    list_display = ("created_at", "idea", "comment", "reason", "handled_at")
    list_filter = ("handled_at",)


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnly):
    list_display = ("idea", "old", "new", "created_at")


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnly):
    list_display = ("created_at", "action", "idea", "comment", "reason")
