from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("", views.action_plan, name="action_plan"),
]
