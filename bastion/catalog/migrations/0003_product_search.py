"""Full-text search over products, kept in sync by the database itself (see catalog/search.py).

SQLite: an FTS5 table `catalog_product_fts` (contentless: it stores only the index) whose rows
are written by triggers on catalog_product, so every writer (actions, bulk_create of the demo and
the generator, the admin) keeps it in step. Attributes are indexed by their values only.

PostgreSQL: a stored generated tsvector column `search_vector` with a GIN index; the database
recomputes it on every write. Title weighs A, description B, attribute values C.
"""

from django.db import migrations

_ATTRS = "(SELECT coalesce(group_concat(value, ' '), '') FROM json_each({row}.attributes))"

SQLITE_UP = [
    "CREATE VIRTUAL TABLE catalog_product_fts USING fts5(title, description, attributes, content='', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER catalog_product_fts_insert AFTER INSERT ON catalog_product BEGIN
        INSERT INTO catalog_product_fts(rowid, title, description, attributes)
        VALUES (new.id, new.title, new.description, {_ATTRS.format(row='new')});
    END""",
    f"""CREATE TRIGGER catalog_product_fts_delete AFTER DELETE ON catalog_product BEGIN
        INSERT INTO catalog_product_fts(catalog_product_fts, rowid, title, description, attributes)
        VALUES ('delete', old.id, old.title, old.description, {_ATTRS.format(row='old')});
    END""",
    f"""CREATE TRIGGER catalog_product_fts_update AFTER UPDATE OF title, description, attributes
        ON catalog_product BEGIN
        INSERT INTO catalog_product_fts(catalog_product_fts, rowid, title, description, attributes)
        VALUES ('delete', old.id, old.title, old.description, {_ATTRS.format(row='old')});
        INSERT INTO catalog_product_fts(rowid, title, description, attributes)
        VALUES (new.id, new.title, new.description, {_ATTRS.format(row='new')});
    END""",
    """INSERT INTO catalog_product_fts(rowid, title, description, attributes)
       SELECT id, title, description, (SELECT coalesce(group_concat(value, ' '), '')
                                       FROM json_each(catalog_product.attributes)) FROM catalog_product""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS catalog_product_fts_insert",
    "DROP TRIGGER IF EXISTS catalog_product_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_product_fts_update",
    "DROP TABLE IF EXISTS catalog_product_fts",
]

POSTGRES_UP = [
    """ALTER TABLE catalog_product ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(description, '')), 'B')
        || setweight(jsonb_to_tsvector('simple', attributes, '["string", "numeric"]'), 'C')
    ) STORED""",
    "CREATE INDEX catalog_product_search ON catalog_product USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS catalog_product_search",
    "ALTER TABLE catalog_product DROP COLUMN IF EXISTS search_vector",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_product_price_from")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
                             _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})),
    ]
