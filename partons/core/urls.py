from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export.json", views.export_my_data, name="export_my_data"),
    path("my-data/delete/", views.erase_my_account, name="erase_my_account"),
]
