from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("applications/", views.my_applications, name="mine"),
    path("jury/", views.jury_home, name="jury"),
    path("brainstorm/", views.brainstorm, name="brainstorm"),
    path("sessions/<int:pk>.ics", views.session_ics, name="session_ics"),
    path("applications/<int:pk>/follow-up", views.follow_up, name="follow_up"),
    path("jury/<int:pk>/", views.jury_score, name="jury_score"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.edit, name="edit"),
    path("applications/<int:pk>/files/<int:attachment_id>", views.attachment, name="attachment"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/documents/<int:pk>", views.document, name="document"),
    path("<slug:slug>/review/", views.review, name="review"),
    path("<slug:slug>/review/action", views.review_action, name="review_action"),
    path("<slug:slug>/projects/", views.projects_state, name="projects"),
]
