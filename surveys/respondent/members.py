"""The member every respondent page starts from, with their round, panel, site, contact
and response, in one query whose SQL is written once per process.

The ORM would compile the same join on every request, a good part of a page's time. Here
the statement is built from the models' field lists (the `_meta` API) and its rows made
into instances with `Model.from_db`, as the ORM does; `test_members` checks every field of
every object against the ORM's. Other databases than PostgreSQL (the SQLite of a first
run) take the ORM's query.
"""

from functools import cache

from django.db import connection
from django.db.models import Model

from panels.models import Contact, Member, Panel, Round, Site
from surveys.models import Response, Version

# The lookups a respondent page makes, each on a unique column.
LOOKUPS = frozenset({"pk", "token_hash", "token_nonce"})

# (model, how its table joins the member's), in the order of the query's columns.
_JOINS: list[tuple[type[Model], str]] = [
    (Member, ""),
    (Round, 'INNER JOIN {round} ON {round}."id" = {member}."round_id"'),
    (Panel, 'INNER JOIN {panel} ON {panel}."id" = {member}."panel_id"'),
    (Site, 'INNER JOIN {site} ON {site}."id" = {panel}."site_id"'),
    (Contact, 'INNER JOIN {contact} ON {contact}."id" = {member}."contact_id"'),
    (Response, 'LEFT OUTER JOIN {response} ON {response}."member_id" = {member}."id"'),
]


def member_where(**lookup) -> Member | None:
    """Return the member found by one unique lookup (pk, token_hash or token_nonce) with
    their round (and its version), panel, site, contact and response, or None."""
    ((name, value),) = lookup.items()
    if name not in LOOKUPS:
        raise ValueError(f"not a unique lookup of a member: {name}")
    member = _fetched(name, value) if connection.vendor == "postgresql" else _ordered(name, value)
    if member is not None and member.round.version_id is not None:
        member.round.version = published_version(member.round.version_id)
    return member


def _ordered(name: str, value) -> Member | None:
    """The ORM's query (get() rather than first(): it compiles no ORDER BY)."""
    members = Member.objects.select_related("round", "panel__site", "contact", "response")
    try:
        return members.get(**{name: value})
    except Member.DoesNotExist:
        return None


@cache
def _statement(name: str) -> str:
    """Return the SQL of the member query by `name`, with one parameter: its value."""
    quote = connection.ops.quote_name
    tables = {model._meta.model_name: quote(model._meta.db_table) for model, _ in _JOINS}
    columns = ", ".join(
        f"{quote(model._meta.db_table)}.{quote(field.column)}"
        for model, _ in _JOINS
        for field in model._meta.concrete_fields
    )
    joins = " ".join(join.format(**tables) for _, join in _JOINS if join)
    column = Member._meta.pk.column if name == "pk" else Member._meta.get_field(name).column
    where = f"{tables['member']}.{quote(column)} = %s"
    # Only names from the models, quoted: the one value is a parameter.
    return f"SELECT {columns} FROM {tables['member']} {joins} WHERE {where}"  # noqa: S608


def _fetched(name: str, value) -> Member | None:
    with connection.cursor() as cursor:
        cursor.execute(_statement(name), [value])
        row = cursor.fetchone()
    if row is None:
        return None
    objects, start = [], 0
    for model, _ in _JOINS:
        fields = model._meta.concrete_fields
        objects.append(_instance(model, fields, row[start : start + len(fields)]))
        start += len(fields)
    return _joined(*objects)


def _instance(model: type[Model], fields, values) -> Model | None:
    """Return the model's instance made from its columns (None for a response not there)."""
    if values[0] is None:
        return None
    values = [
        field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
        for field, value in zip(fields, values, strict=True)
    ]
    return model.from_db(connection.alias, [field.attname for field in fields], values)


def _joined(member, round_, panel, site, contact, response) -> Member:
    """Return the member with the related objects set, as select_related leaves them."""
    member.round, member.panel, member.contact, panel.site = round_, panel, contact, site
    if response is None:
        # As select_related records a missing response: reading it raises DoesNotExist
        # without a query.
        Member._meta.get_field("response").set_cached_value(member, None)
    else:
        member.response = response  # sets response.member too
    return member


# Published versions never change and are never deleted (the database refuses both), so
# an id names the same version for the life of the process: one read per process.
PUBLISHED: dict[int, Version] = {}


def published_version(version_id: int) -> Version:
    """Return the version (without its definition, read apart); published ones cached."""
    version = PUBLISHED.get(version_id)
    if version is None:
        version = Version.objects.defer("definition").get(pk=version_id)
        if version.is_published:
            PUBLISHED[version_id] = version
    return version
