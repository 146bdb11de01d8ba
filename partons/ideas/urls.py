from django.urls import path

from . import views

app_name = "ideas"
urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_new, name="new"),
    path("paper/", views.idea_paper, name="paper"),
    path("mine/", views.my_ideas, name="mine"),
    path("statistics/", views.idea_stats, name="stats"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("<int:pk>/", views.idea_detail, name="detail"),
    path("<int:pk>/support", views.idea_support, name="support"),
    path("<int:pk>/follow", views.idea_follow, name="follow"),
    path("<int:pk>/comment", views.idea_comment, name="comment"),
    path("<int:pk>/flag", views.idea_flag, name="flag"),
    path("<int:pk>/status", views.idea_status, name="status"),
    path("<int:pk>/moderate", views.moderate, name="moderate"),
    path("<int:pk>/link", views.idea_link, name="link"),
    path("<int:pk>/photos/<int:photo_id>", views.idea_photo, name="photo"),
]
