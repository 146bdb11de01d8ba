from django.urls import path

from . import views

app_name = "prints"
urlpatterns = [
    path("maps/<slug:kind>.<slug:fmt>", views.map_print, name="map"),
    path("villages/<slug:slug>.pdf", views.village_dossier, name="village"),
    path("municipalities/<str:key>.pdf", views.municipality_dossier, name="municipality"),
]
