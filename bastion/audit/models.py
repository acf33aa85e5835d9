"""The append-only, hash-chained ledger of security- and money-relevant events."""

from django.db import models


class LedgerEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    recorded_at = models.DateTimeField()
    actor = models.CharField(max_length=200, help_text="who: 'user:<id>', 'apikey:<prefix>', 'system:<job>'")
    action = models.CharField(max_length=100, db_index=True)
    subject = models.CharField(max_length=200, db_index=True, help_text="what: '<kind>:<id>'")
    payload = models.TextField(help_text="canonical JSON")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"


class LedgerHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises appends on every engine."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"ledger head #{self.seq}"
