"""Bastion's snapshot backups of the embedded SQLite database: full, differential, incremental.

Layout of the package, from pure rules to the shop-facing layer:
  pages.py      consistent copy, page hashes, changed pages, chunk plan
  sealing.py    zstd + AES-256-GCM chunks, data-key wrapping
  keys.py       the backup key and the keys derived from it
  manifest.py   the authenticated description of a backup
  facts.py      schema version, row counts, ledger head of a copy
  media.py      the media folder: atomic publish, lock, catalog
  engine.py     take a backup          verify.py   check a chain
  restore.py    rebuild a database     retention.py  what to delete (pure)
  actions.py    Django settings + ledger entries; commands.py  the CLI's output

PostgreSQL is backed up by pgBackRest instead; nothing here runs against it.
"""
