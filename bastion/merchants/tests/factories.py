import factory

from bastion.core import clock
from bastion.merchants.models import Merchant


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    name = factory.Sequence(lambda n: f"Merchant {n}")
    slug = factory.Sequence(lambda n: f"merchant-{n}")
    created_at = factory.LazyFunction(clock.now)
