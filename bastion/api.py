"""The REST API at /api/v1/: one router per domain, errors as problem+json."""

from ninja.openapi.docs import Swagger

from bastion.accounts.api import auth_router, keys_router, me_router, users_router
from bastion.cart.api import router as cart_router
from bastion.catalog.api import public_router as catalog_router
from bastion.catalog.api import seller_router as seller_catalog_router
from bastion.core.apitools import BastionAPI, install_problem_handlers
from bastion.inventory.api import router as inventory_router
from bastion.merchants.api import router as merchants_router
from bastion.orders.api import seller_router as seller_orders_router
from bastion.orders.api import shopper_router as orders_router
from bastion.payments.api import router as payments_router
from bastion.shipping.api import router as shipping_router

api = BastionAPI(
    title="Bastion API",
    version="1.0.0",
    description="Marketplace API. Errors are RFC 9457 problem+json documents with a stable `code`.",
    urls_namespace="api-v1",
    docs=Swagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_problem_handlers(api)

api.add_router("/auth", auth_router)
api.add_router("/me", me_router)
api.add_router("/api-keys", keys_router)
api.add_router("/users", users_router)
api.add_router("/merchants", merchants_router)
api.add_router("/seller", inventory_router)
api.add_router("/catalog", catalog_router)
api.add_router("/seller/merchants", seller_catalog_router)
api.add_router("/orders", orders_router)
api.add_router("/seller", seller_orders_router)
api.add_router("/seller/merchants", shipping_router)
api.add_router("/cart", cart_router)
api.add_router("/payments", payments_router)
