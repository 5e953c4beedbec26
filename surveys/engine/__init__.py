"""The questionnaire engine: pure functions over a version's definition.

Nothing here imports Django. Load a definition once per published version
(``load_definition``) and pass it, the respondent's answers (a plain dict)
and the member's attributes (a plain dict) to the functions below.
"""

from .checks import publish_problems
from .definition import (
    DefinitionError,
    Problem,
    canonical_json,
    content_hash,
    dump_yaml,
    load_definition,
    parse_text,
)
from .diff import ItemChange, diff_versions, format_diff
from .expressions import (
    ExpressionError,
    evaluate,
    holds,
    member_references,
    parse_expression,
    references,
)
from .model import Definition, Item, Option, Page, Skip, Slot
from .paths import explore, reachable_items, trend_items_lost
from .piping import pipe, piped_references
from .routing import item_status, next_page, path, previous_page, prune, visible_items
from .validation import PageResult, validate_page

__all__ = [
    "Definition",
    "DefinitionError",
    "ExpressionError",
    "Item",
    "ItemChange",
    "Option",
    "Page",
    "PageResult",
    "Problem",
    "Skip",
    "Slot",
    "canonical_json",
    "content_hash",
    "diff_versions",
    "dump_yaml",
    "evaluate",
    "explore",
    "format_diff",
    "holds",
    "item_status",
    "load_definition",
    "member_references",
    "next_page",
    "parse_expression",
    "parse_text",
    "path",
    "pipe",
    "piped_references",
    "previous_page",
    "prune",
    "publish_problems",
    "reachable_items",
    "references",
    "trend_items_lost",
    "validate_page",
    "visible_items",
]
