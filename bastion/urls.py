from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from bastion.api import api
from bastion.console.admin_site import protect_admin
from bastion.ops import views as ops_views
from bastion.ops.metrics import metrics_view

protect_admin(admin.site)

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("seller/", include("bastion.seller.urls")),
    path("console/", include("bastion.console.urls")),
    path("", include("bastion.storefront.urls")),
]
