from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("agenda.ics", views.feed, name="feed"),
    path("mine/", views.mine, name="mine"),
    path("registrations/<int:pk>/cancel", views.cancel, name="cancel"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("<slug:slug>/register", views.register, name="register"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/participants.csv", views.participants_csv, name="participants_csv"),
]
