from django.urls import path

from bastion.console import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/<int:user_id>/roles/", views.grant, name="grant"),
    path("people/<int:user_id>/roles/<int:grant_id>/revoke/", views.revoke, name="revoke"),
    path("monitors/", views.monitors, name="monitors"),
    path("api-keys/", views.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", views.revoke_key, name="revoke_key"),
]
