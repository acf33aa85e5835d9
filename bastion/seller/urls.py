from django.urls import path

from bastion.seller import catalog_views, stock_views, views

app_name = "seller"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:merchant_id>/", views.merchant_home, name="merchant"),
    path("<int:merchant_id>/staff/", views.add_staff, name="add_staff"),
    path("<int:merchant_id>/staff/<int:grant_id>/remove/", views.remove_staff, name="remove_staff"),
    path("<int:merchant_id>/api-keys/", views.create_key, name="create_key"),
    path("<int:merchant_id>/api-keys/<int:key_id>/revoke/", views.revoke_key, name="revoke_key"),
    path("<int:merchant_id>/stock/", stock_views.stock_home, name="stock"),
    path("<int:merchant_id>/stock/warehouses/", stock_views.create_warehouse, name="create_warehouse"),
    path("<int:merchant_id>/stock/<int:warehouse_id>/", stock_views.warehouse_stock, name="warehouse"),
    path("<int:merchant_id>/stock/<int:warehouse_id>/receive/", stock_views.receive, name="receive_stock"),
    path("<int:merchant_id>/stock/<int:warehouse_id>/adjust/", stock_views.adjust, name="adjust_stock"),
    path("<int:merchant_id>/products/", catalog_views.products, name="products"),
    path("<int:merchant_id>/products/new/", catalog_views.create_product, name="create_product"),
    path("<int:merchant_id>/products/<int:product_id>/", catalog_views.product, name="product"),
    path("<int:merchant_id>/products/<int:product_id>/variants/", catalog_views.add_variant, name="add_variant"),
    path("<int:merchant_id>/products/<int:product_id>/variants/<int:variant_id>/", catalog_views.update_variant,
         name="update_variant"),
    path("<int:merchant_id>/products/<int:product_id>/publish/", catalog_views.publish, name="publish_product"),
    path("<int:merchant_id>/products/<int:product_id>/unpublish/", catalog_views.unpublish, name="unpublish_product"),
    path("<int:merchant_id>/products/<int:product_id>/delete/", catalog_views.delete, name="delete_product"),
]
