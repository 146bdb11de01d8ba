from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("<slug:slug>/", views.answer, name="answer"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results.csv", views.results_csv, name="results_csv"),
    path("<slug:slug>/paper/", views.paper, name="paper"),
    path("<slug:slug>/invite", views.invite, name="invite"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/edit/questions/<int:pk>/", views.question, name="question"),
]
