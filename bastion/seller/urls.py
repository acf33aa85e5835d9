from django.urls import path

from bastion.seller import views

app_name = "seller"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:merchant_id>/", views.merchant_home, name="merchant"),
    path("<int:merchant_id>/staff/", views.add_staff, name="add_staff"),
    path("<int:merchant_id>/staff/<int:grant_id>/remove/", views.remove_staff, name="remove_staff"),
    path("<int:merchant_id>/api-keys/", views.create_key, name="create_key"),
    path("<int:merchant_id>/api-keys/<int:key_id>/revoke/", views.revoke_key, name="revoke_key"),
]
