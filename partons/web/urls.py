from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("villages/", views.village_list, name="village_list"),
    path("villages/<slug:slug>/", views.village_detail, name="village"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/<str:key>/", views.municipality_detail, name="municipality"),
    path("about/data/", views.data_sources, name="data_sources"),
]
