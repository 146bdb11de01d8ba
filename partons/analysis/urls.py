from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("", views.access_map, name="map"),
    path("scenarios/", views.scenario_new, name="scenario_new"),
    path("scenarios/evaluate", views.scenario_evaluate, name="scenario_evaluate"),
    path("scenarios/save", views.scenario_save, name="scenario_save"),
    path("scenarios/<uuid:key>/", views.scenario_detail, name="scenario"),
    path("scenarios/<uuid:key>/export.<str:fmt>", views.scenario_export, name="scenario_export"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/status", views.run_status, name="run_status"),
]
