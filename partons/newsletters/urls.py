from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("confirm/<slug:token>/", views.confirm, name="confirm"),
    path("subscription/<slug:token>/", views.manage, name="manage"),
    path("subscription/<slug:token>/my-data.json", views.my_data, name="my_data"),
    path("unsubscribe/<slug:token>/", views.unsubscribe, name="unsubscribe"),
    path("issues/<int:pk>/", views.issue, name="issue"),
    path("images/<int:pk>", views.image, name="image"),
]
