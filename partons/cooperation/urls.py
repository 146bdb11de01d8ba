from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("", views.action_plan, name="action_plan"),
    path("actions/<slug:slug>/", views.action_detail, name="action"),
    path("organisations/", views.organisations, name="organisations"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<slug:slug>/", views.group_detail, name="group"),
    path("groups/<slug:slug>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/decisions/", views.meeting_decision, name="meeting_decision"),
    path("meetings/<int:pk>/files/", views.meeting_attachment_upload, name="meeting_files"),
    path("meetings/<int:pk>/files/<int:attachment_id>", views.attachment, name="attachment"),
    path("mine/", views.my_groups, name="mine"),
    path("mine/<int:pk>/contact", views.my_contact, name="my_contact"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring.csv", views.monitoring_csv, name="monitoring_csv"),
]
