"""The programme as a collapsible tree: theme -> workstreams (funded marked *), objectives,
deliverables and activities, each theme and activity with its lead and a RAG marker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from psr_tui import analysis
from psr_tui.formatting import format_date
from psr_tui.models import Activity, Record, Theme
from psr_tui.widgets.phase_board import STATUS_GLYPHS

NodeKind = Literal[
    "group",
    "theme",
    "workstreams",
    "objectives",
    "deliverables",
    "activities",
    "workstream",
    "objective",
    "deliverable",
    "activity",
]
RAG_LETTERS = {"red": "R", "amber": "A", "green": "G"}


@dataclass(frozen=True)
class NodeRef:
    """What a tree node stands for: a theme record, one of its lists or items, an activity."""

    kind: NodeKind
    theme_id: int = 0
    index: int = -1
    activity_id: int = 0

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.theme_id}:{self.index}:{self.activity_id}"


def theme_group(theme: Theme) -> str:
    """The board and tree group a theme is shown under."""
    if theme.kind == "business case":
        return "Business case workstreams"
    if theme.kind == "recommendation":
        return "Year One recommendations"
    return "Delivery and supporting themes"


GROUP_ORDER = ("Delivery and supporting themes", "Business case workstreams")


def grouped(themes: Sequence[Record[Theme]]) -> list[Record[Theme]]:
    """Delivery and supporting themes first, then business case, then recommendations."""

    def order(record: Record[Theme]) -> int:
        group = theme_group(record.model)
        return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)

    return sorted(themes, key=order)


class ProgrammeTree(Tree[NodeRef]):
    """Themes and what hangs off them; space/enter on a branch folds it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "programme-tree--red",
        "programme-tree--amber",
        "programme-tree--green",
        "programme-tree--muted",
    }
    DEFAULT_CSS = """
    ProgrammeTree > .programme-tree--red { color: $error; text-style: bold; }
    ProgrammeTree > .programme-tree--amber { color: $warning; text-style: bold; }
    ProgrammeTree > .programme-tree--green { color: $success; text-style: bold; }
    ProgrammeTree > .programme-tree--muted { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Programme", id=id)
        self.show_root = False
        self.guide_depth = 2

    @property
    def current(self) -> NodeRef | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"programme-tree--{name}")

    def _rag(self, activities: Sequence[Activity], as_at: date) -> Text:
        colour = analysis.rag(activities, as_at)
        return Text(f"● {RAG_LETTERS[colour]} ", style=self._style(colour))

    def show(
        self,
        themes: Sequence[Record[Theme]],
        activities: Sequence[Record[Activity]],
        as_at: date,
    ) -> None:
        """Rebuild, keeping which branches are open and where the cursor is."""
        opened = {n.data.key for n in self._every_node() if n.data and n.is_expanded}
        at = self.current.key if self.current else None
        first = not self.root.children
        self.clear()
        group = None
        for record in grouped(themes):
            theme = record.model
            if theme_group(theme) != group:
                group = theme_group(theme)
                parent = self.root.add(Text(group, style="bold"), NodeRef("group"), expand=True)
            own = [a for a in activities if a.model.theme == theme.name]
            self._add_theme(parent, record, own, as_at)
        for node in self._every_node():
            if node.data and (node.data.key in opened or (first and node.data.kind == "group")):
                node.expand()
        wanted = at or NodeRef("theme", themes[0].doc_id).key if themes else None
        found = next((n for n in self._every_node() if n.data and n.data.key == wanted), None)
        if found is not None:
            # A new node has no line until the tree is laid out again.
            self.call_after_refresh(self.move_cursor, found)

    def select(self, ref: NodeRef) -> bool:
        """Put the cursor on the node for `ref` (opening the branches above it), if shown."""
        found = next((n for n in self._every_node() if n.data and n.data.key == ref.key), None)
        if found is None:
            return False
        parent = found.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self.move_cursor, found)
        return True

    def _every_node(self) -> list[TreeNode[NodeRef]]:
        found: list[TreeNode[NodeRef]] = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(node.children)
        return found

    def _add_theme(
        self,
        parent: TreeNode[NodeRef],
        record: Record[Theme],
        activities: list[Record[Activity]],
        as_at: date,
    ) -> None:
        theme, tid = record.model, record.doc_id
        muted = self._style("muted")
        label = self._rag([a.model for a in activities], as_at) + Text(theme.name, style="bold")
        if theme.lead:
            label += Text(f"  {theme.lead}", style=muted)
        node = parent.add(label, NodeRef("theme", tid))
        workstreams = node.add(
            Text(f"Workstreams ({len(theme.workstreams)}; * externally funded)"),
            NodeRef("workstreams", tid),
        )
        for i, ws in enumerate(theme.workstreams):
            text = Text(f"{'*' if ws.funded else ' '} {ws.name}")
            if ws.lead:
                text += Text(f"  {ws.lead}", style=muted)
            workstreams.add_leaf(text, NodeRef("workstream", tid, i))
        objectives = node.add(
            Text(f"Objectives ({len(theme.objectives)})"), NodeRef("objectives", tid)
        )
        for i, objective in enumerate(theme.objectives):
            objectives.add_leaf(Text(objective), NodeRef("objective", tid, i))
        deliverables = node.add(
            Text(f"Deliverables ({len(theme.deliverables)})"), NodeRef("deliverables", tid)
        )
        for i, deliverable in enumerate(theme.deliverables):
            text = Text(f"{STATUS_GLYPHS[deliverable.status]} {deliverable.text}")
            deliverables.add_leaf(text, NodeRef("deliverable", tid, i))
        branch = node.add(Text(f"Activities ({len(activities)})"), NodeRef("activities", tid))
        for activity in sorted(activities, key=lambda a: (a.model.due or date.max, a.doc_id)):
            branch.add_leaf(
                self._activity_label(activity.model, as_at),
                NodeRef("activity", tid, activity_id=activity.doc_id),
            )

    def _activity_label(self, activity: Activity, as_at: date) -> Text:
        label = self._rag([activity], as_at)
        label += Text(f"{STATUS_GLYPHS[activity.status]} {activity.title}")
        details = [activity.phase, activity.lead]
        if activity.due:
            details.append(f"due {format_date(activity.due)}")
        label += Text("  " + " · ".join(d for d in details if d), style=self._style("muted"))
        return label
