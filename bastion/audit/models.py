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


class Checkpoint(models.Model):
    """A signed statement: "the first `tree_size` entries have the Merkle root `root_hash`".

    Rows are append-only (database triggers) and each one is also appended to the witness file
    outside the database, so a rewritten database cannot rewrite what was already witnessed.
    """

    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64, help_text="RFC 6962 Merkle tree hash, hex")
    signed_at = models.DateTimeField()
    signature = models.CharField(max_length=128, help_text="Ed25519 over signing.checkpoint_message, hex")
    key_id = models.CharField(max_length=64, help_text="first 16 hex digits of SHA-256 of the raw public key")

    class Meta:
        ordering = ["tree_size"]
        constraints = [models.CheckConstraint(condition=models.Q(tree_size__gt=0),
                                              name="audit_checkpoint_tree_size_positive")]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size} {self.root_hash[:12]}"
