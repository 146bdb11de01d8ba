from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("<slug:slug>/", views.call_detail, name="detail"),
]
