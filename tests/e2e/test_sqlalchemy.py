"""SQLAlchemy 1.4 (Debian python3-sqlalchemy) over psycopg2: the inspector's reflection
queries, MetaData.reflect(), ORM create_all, session CRUD and relationships."""

import pytest
import sqlalchemy as sa
from sqlalchemy import orm

from conftest import CONNECT_TIMEOUT

APP = "pgw-sqlalchemy"


@pytest.fixture
def engine(endpoint):
    url = sa.engine.URL.create("postgresql+psycopg2", username=endpoint.user,
                               password=endpoint.password, host=endpoint.host,
                               port=endpoint.port, database=endpoint.dbname)
    eng = sa.create_engine(url, future=True, poolclass=sa.pool.NullPool,
                           connect_args={"application_name": APP, "sslmode": "disable",
                                         "connect_timeout": CONNECT_TIMEOUT})
    yield eng
    eng.dispose()


@pytest.fixture
def schema(engine, fresh_table):
    parent, child = fresh_table("parent"), fresh_table("child")
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {child}"))
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {parent}"))
        conn.execute(sa.text(
            f"CREATE TABLE {parent} (id integer PRIMARY KEY, code varchar(10) NOT NULL UNIQUE, "
            f"note text DEFAULT 'none', score numeric(8,3), created timestamp with time zone)"))
        conn.execute(sa.text(
            f"CREATE TABLE {child} (id bigint PRIMARY KEY, parent_id integer NOT NULL "
            f"REFERENCES {parent}(id) ON DELETE CASCADE, label text, flag boolean DEFAULT false)"))
        conn.execute(sa.text(f"CREATE INDEX {child}_label_idx ON {child} (label)"))
        conn.execute(sa.text(f"CREATE UNIQUE INDEX {child}_pl ON {child} (parent_id, label)"))
    yield parent, child
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {child}"))
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {parent}"))


def test_inspector_table_names_and_columns(engine, schema):
    parent, child = schema
    insp = sa.inspect(engine)
    names = insp.get_table_names()
    assert parent in names and child in names, names
    cols = {c["name"]: c for c in insp.get_columns(parent)}
    assert list(cols) == ["id", "code", "note", "score", "created"]
    assert isinstance(cols["id"]["type"], sa.Integer)
    assert isinstance(cols["code"]["type"], sa.String) and cols["code"]["type"].length == 10
    assert cols["code"]["nullable"] is False and cols["note"]["nullable"] is True
    assert cols["note"]["default"] == "'none'::text"
    assert isinstance(cols["score"]["type"], sa.Numeric)
    assert (cols["score"]["type"].precision, cols["score"]["type"].scale) == (8, 3)
    assert isinstance(cols["created"]["type"], sa.TIMESTAMP)
    assert cols["created"]["type"].timezone is True


def test_inspector_keys_and_indexes(engine, schema):
    parent, child = schema
    insp = sa.inspect(engine)
    assert insp.get_pk_constraint(parent) == {"constrained_columns": ["id"],
                                              "name": f"{parent}_pkey"}
    fks = insp.get_foreign_keys(child)
    assert len(fks) == 1, fks
    fk = fks[0]
    assert fk["name"] == f"{child}_parent_id_fkey"
    assert fk["constrained_columns"] == ["parent_id"]
    assert fk["referred_table"] == parent and fk["referred_columns"] == ["id"]
    assert fk["options"].get("ondelete") == "CASCADE", fk
    uniques = insp.get_unique_constraints(parent)
    assert uniques == [{"name": f"{parent}_code_key", "column_names": ["code"]}], uniques
    indexes = {i["name"]: i for i in insp.get_indexes(child)}
    assert indexes[f"{child}_label_idx"]["column_names"] == ["label"]
    assert indexes[f"{child}_label_idx"]["unique"] is False
    assert indexes[f"{child}_pl"]["column_names"] == ["parent_id", "label"]
    assert indexes[f"{child}_pl"]["unique"] is True
    assert insp.has_table(parent) and not insp.has_table(parent + "_nope")


def test_metadata_reflect(engine, schema):
    parent, child = schema
    md = sa.MetaData()
    md.reflect(bind=engine, only=[parent, child])
    c = md.tables[child]
    assert [col.name for col in c.primary_key.columns] == ["id"]
    (fk,) = c.foreign_keys
    assert fk.column.table.name == parent and fk.column.name == "id"
    with engine.begin() as conn:
        conn.execute(md.tables[parent].insert(), [{"id": 1, "code": "a"}, {"id": 2, "code": "b"}])
        conn.execute(c.insert(), [{"id": 10, "parent_id": 1, "label": "x"}])
        rows = conn.execute(sa.select(c.c.label, md.tables[parent].c.code).join(
            md.tables[parent])).all()
    assert rows == [("x", "a")]


def test_orm_create_all_crud_and_relationships(engine, fresh_table):
    owner_t, item_t = fresh_table("owner"), fresh_table("item")
    Base = orm.declarative_base()

    class Owner(Base):
        __tablename__ = owner_t
        id = sa.Column(sa.Integer, primary_key=True)
        name = sa.Column(sa.String(50), nullable=False)
        items = orm.relationship("Item", back_populates="owner", cascade="all, delete-orphan",
                                 order_by="Item.id")

    class Item(Base):
        __tablename__ = item_t
        id = sa.Column(sa.Integer, primary_key=True)
        owner_id = sa.Column(sa.Integer, sa.ForeignKey(f"{owner_t}.id"), nullable=False)
        title = sa.Column(sa.Text)
        price = sa.Column(sa.Numeric(10, 2))
        owner = orm.relationship("Owner", back_populates="items")

    Base.metadata.create_all(engine)
    try:
        insp = sa.inspect(engine)
        assert insp.has_table(owner_t) and insp.has_table(item_t)
        with orm.Session(engine) as session:
            o = Owner(name="ann", items=[Item(title="pen", price=1.5), Item(title="ink")])
            session.add(o)
            session.commit()
            oid = o.id
        with orm.Session(engine) as session:
            o = session.get(Owner, oid)
            assert [i.title for i in o.items] == ["pen", "ink"]
            assert str(o.items[0].price) == "1.50"
            o.items[1].title = "blue ink"
            o.name = "anna"
            session.commit()
        with orm.Session(engine) as session:
            o = session.execute(sa.select(Owner).where(Owner.name == "anna")).scalar_one()
            assert [i.title for i in o.items] == ["pen", "blue ink"]
            session.delete(o.items[0])
            session.commit()
            assert session.execute(sa.select(sa.func.count()).select_from(Item)).scalar() == 1
            session.delete(o)
            session.commit()
            assert session.execute(sa.select(sa.func.count()).select_from(Item)).scalar() == 0
    finally:
        Base.metadata.drop_all(engine)
    assert not sa.inspect(engine).has_table(owner_t)
