from django.urls import path

from bastion.storefront import account_views, auth_views, cart_views, catalog_views, order_views

app_name = "storefront"

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("c/<slug:slug>/", catalog_views.category, name="category"),
    path("search/", catalog_views.search_page, name="search"),
    path("p/<int:product_id>/<str:slug>/", catalog_views.product, name="product"),
    path("cart/", cart_views.cart_page, name="cart"),
    path("cart/add/", cart_views.add_to_cart, name="cart_add"),
    path("cart/lines/<int:line_id>/", cart_views.change_line, name="cart_line"),
    path("signup/", auth_views.signup, name="signup"),
    path("signin/", auth_views.signin, name="signin"),
    path("signin/mfa/", auth_views.signin_mfa, name="signin_mfa"),
    path("signout/", auth_views.signout, name="signout"),
    path("verify-email/", auth_views.resend_verification, name="resend_verification"),
    path("verify-email/<str:token>/", auth_views.verify_email, name="verify_email"),
    path("password-reset/", auth_views.password_reset, name="password_reset"),
    path("password-reset/<str:uid>/<str:token>/", auth_views.password_reset_confirm, name="password_reset_confirm"),
    path("account/", account_views.profile, name="profile"),
    path("account/password/", account_views.change_password, name="change_password"),
    path("account/sessions/", account_views.end_sessions, name="end_sessions"),
    path("account/addresses/", account_views.addresses, name="addresses"),
    path("account/addresses/<int:address_id>/", account_views.edit_address, name="edit_address"),
    path("account/addresses/<int:address_id>/delete/", account_views.delete_address, name="delete_address"),
    path("account/mfa/", account_views.mfa_page, name="mfa"),
    path("account/orders/", order_views.orders, name="orders"),
    path("account/orders/<str:number>/", order_views.order_detail, name="order"),
    path("account/orders/<str:number>/cancel/", order_views.cancel_order, name="cancel_order"),
    path("account/orders/<str:number>/returns/", order_views.request_return, name="request_return"),
]
