from django.urls import path

from . import views

app_name = "observatory"
urlpatterns = [
    path("", views.services_map, name="map"),
    path("list/", views.services_table, name="table"),
    path("<int:pk>/", views.facility_detail, name="facility"),
    path("report/", views.report_new, name="report_new"),
    path("reports/", views.moderation_queue, name="moderation"),
    path("reports/mine/", views.my_reports, name="my_reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/photo", views.report_photo, name="report_photo"),
]
