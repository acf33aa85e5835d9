"""The hard rule of payments, pure: merging what the gateway reports into what Bastion knows.

Webhooks arrive duplicated and out of order, so nothing is incremented: the gateway reports its
running totals (amount_captured, amount_refunded) and its status, and the merge takes the furthest
of both sides. Applying the same report twice, or two reports in either order, gives the same state
(the merge is idempotent, commutative and associative), and a payment never moves backwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bastion.payments.models import TRANSITIONS, PaymentStatus

# Gateway statuses that say nothing beyond "created" on Bastion's side.
_NOT_YET = {"requires_payment_method", "requires_action", "processing", "created"}


@dataclass(frozen=True)
class PaymentState:
    status: str
    amount_captured: Decimal
    amount_refunded: Decimal


def _status_for_amounts(captured: Decimal, refunded: Decimal) -> str:
    if refunded >= captured:
        return PaymentStatus.REFUNDED
    return PaymentStatus.PARTIALLY_REFUNDED if refunded > 0 else PaymentStatus.CAPTURED


def merge(current: PaymentState, reported: PaymentState) -> PaymentState:
    """The state after learning `reported`; `current` when the report is older or says nothing new."""
    captured = max(current.amount_captured, reported.amount_captured)
    refunded = max(current.amount_refunded, reported.amount_refunded)
    if captured > 0:
        target = _status_for_amounts(captured, refunded)
    elif reported.status in _NOT_YET:
        target = current.status
    else:
        target = reported.status
    if target != current.status and target not in TRANSITIONS[current.status]:
        return current  # older news, or a report that contradicts a final state: keep what we have
    return PaymentState(status=target, amount_captured=captured, amount_refunded=refunded)


def ledger_actions(before: PaymentState, after: PaymentState) -> list[str]:
    """The ledger entries a change from `before` to `after` writes, in a stable order."""
    actions = []
    if after.status == PaymentStatus.AUTHORISED and before.status != after.status:
        actions.append("payment.authorised")
    if after.amount_captured > before.amount_captured:
        actions.append("payment.captured")
    if after.amount_refunded > before.amount_refunded:
        actions.append("payment.refunded")
    if after.status in (PaymentStatus.VOIDED, PaymentStatus.FAILED) and before.status != after.status:
        actions.append(f"payment.{after.status}")
    return actions
