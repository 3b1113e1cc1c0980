"""One PDF from the PDFs of its pieces, as WeasyPrint would have written it whole, in
memory bounded by one piece.

A long paper is laid out in pieces (exports/pieces.py), each written by WeasyPrint to a PDF
of its own without page numbers, with a PDF of blank pages that print them
(exports/page_numbers.py). This writes the joined file piece by piece: each piece is read
(pikepdf, lazily), its numbers laid over its pages as a Form XObject marked as a pagination
artifact, and every object it reaches written out under a new number, then the piece is
closed. Streams go out as they are (already compressed); other objects are packed into
compressed object streams; a cross-reference stream ends the file. What spans the pieces
is built at the end: one page tree, one tagged structure (the pieces' Document elements
become one, their marked-content keys moved past the pieces before), the named destinations
the links point to (a later piece's wins: a cover names sections it does not hold only to
keep its links), one outline nested by heading level, and the first piece's catalog
entries (language, PDF/UA marks, metadata) and document information.

Why not pikepdf's own join (`pages.extend` then `save`): qpdf keeps every copied object of
every piece in memory until it writes, and a register has ~60 structure elements a risk:
joining 10,000 risks took 2 GiB.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

# Non-stream objects packed into each compressed object stream.
OBJECTS_PER_STREAM = 200


@dataclass(frozen=True)
class Bookmark:
    """A heading of the outline: its level (1 for a paper's title), its text, whether it
    shows its children, and where it is: the page (from 0, in the joined PDF) and the point,
    in PDF points from the page's bottom left."""

    level: int
    title: str
    page: int
    left: float
    top: float
    opened: bool = True


@dataclass(frozen=True)
class PieceFiles:
    """One piece as WeasyPrint wrote it, and the PDF of its page numbers (a page for each)."""

    pdf: Path
    numbers: Path


class _Writer:
    """Numbered objects to a file, in any order; the cross-reference stream at the end."""

    def __init__(self, out: IO[bytes], version: str) -> None:
        self.out = out
        self.at = 0
        # Cross-reference entries by object number: type, field 2, field 3 (PDF 7.5.8.3),
        # in arrays: a 10,000-risk register has ~650,000 objects.
        self.kinds = bytearray([0])
        self.seconds = array("Q", [0])
        self.thirds = array("H", [65535])
        self.packed: list[tuple[int, bytes]] = []
        self._put(b"%PDF-" + version.encode("ascii") + b"\n%\xe2\xe3\xcf\xd3\n")

    def _put(self, data: bytes) -> None:
        self.out.write(data)
        self.at += len(data)

    def reserve(self) -> int:
        self.kinds.append(0)
        self.seconds.append(0)
        self.thirds.append(0)
        return len(self.kinds) - 1

    def write(self, number: int, body: bytes) -> None:
        self.packed.append((number, body))
        if len(self.packed) >= OBJECTS_PER_STREAM:
            self._flush()

    def write_stream(self, number: int, entries: bytes, data: bytes) -> None:
        """A stream: `entries` are its dictionary's, without the /Length this adds."""
        self.kinds[number], self.seconds[number], self.thirds[number] = 1, self.at, 0
        self._put(
            b"%d 0 obj\n<<%s/Length %d>>\nstream\n" % (number, entries, len(data))
            + data
            + b"\nendstream\nendobj\n"
        )

    def _flush(self) -> None:
        if not self.packed:
            return
        number = self.reserve()
        offsets: list[bytes] = []
        bodies: list[bytes] = []
        at = 0
        for index, (packed, body) in enumerate(self.packed):
            self.kinds[packed], self.seconds[packed], self.thirds[packed] = 2, number, index
            offsets.append(b"%d %d" % (packed, at))
            bodies.append(body)
            at += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        data = zlib.compress(header + b"\n".join(bodies) + b"\n")
        self.packed = []
        self.write_stream(
            number,
            b"/Type/ObjStm/N %d/First %d/Filter/FlateDecode" % (len(offsets), len(header)),
            data,
        )

    def finish(self, root: int, info: int | None, identifier: bytes) -> None:
        self._flush()
        number = self.reserve()
        self.kinds[number], self.seconds[number], self.thirds[number] = 1, self.at, 0
        row = struct.Struct(">BQH")
        rows = bytearray(row.size * len(self.kinds))
        for index, entry in enumerate(zip(self.kinds, self.seconds, self.thirds, strict=True)):
            row.pack_into(rows, index * row.size, *entry)
        data = zlib.compress(rows)
        del rows
        info_entry = b"/Info %d 0 R" % info if info is not None else b""
        hexed = identifier.hex().encode("ascii")
        start = self.at
        self._put(
            b"%d 0 obj\n<</Type/XRef/Size %d/W[1 8 2]/Root %d 0 R%s/ID[<%s><%s>]"
            b"/Filter/FlateDecode/Length %d>>\nstream\n"
            % (number, len(self.kinds), root, info_entry, hexed, hexed, len(data))
            + data
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
        )


def _number(value: Decimal | float) -> bytes:
    text = format(Decimal(value).normalize(), "f")
    return text.encode("ascii")


class _Copier:
    """One piece's objects written under new numbers: `fixed` maps the piece's own
    objects that the joined file replaces (its page tree, structure root, Document) to
    the joined file's."""

    def __init__(self, writer: _Writer, fixed: dict[tuple[int, int], int]) -> None:
        self.writer = writer
        self.numbers = dict(fixed)
        self.todo: list[pikepdf.Object] = []

    def ref(self, obj: pikepdf.Object) -> int:
        found = self.numbers.get(obj.objgen)
        if found is None:
            found = self.numbers[obj.objgen] = self.writer.reserve()
            self.todo.append(obj)
        return found

    def value(self, value: Any) -> bytes:
        """A value as it is written inside another object: a reference, or the value."""
        import pikepdf

        if isinstance(value, pikepdf.Object) and value.is_indirect:
            return b"%d 0 R" % self.ref(value)
        return self.direct(value)

    def direct(self, value: Any) -> bytes:
        import pikepdf

        if isinstance(value, bool):
            return b"true" if value else b"false"
        if isinstance(value, int):
            return b"%d" % value
        if isinstance(value, Decimal | float):
            return _number(value)
        if value is None:
            return b"null"
        kind = value._type_code
        if kind == pikepdf.ObjectType.dictionary:
            return b"<<" + b"".join(self.entries(value)) + b">>"
        if kind == pikepdf.ObjectType.array:
            return b"[" + b" ".join(self.value(item) for item in value) + b"]"
        if kind == pikepdf.ObjectType.null:
            return b"null"
        if kind == pikepdf.ObjectType.boolean:
            return b"true" if bool(value) else b"false"
        if kind == pikepdf.ObjectType.integer:
            return b"%d" % int(value)
        if kind == pikepdf.ObjectType.real:
            return _number(Decimal(str(value)))
        # Names and strings: pikepdf writes them with their escapes.
        data: bytes = value.unparse()
        return data

    def entries(
        self, dictionary: pikepdf.Object, leave: frozenset[str] = frozenset()
    ) -> Iterator[bytes]:
        import pikepdf

        for key in dictionary.keys():  # noqa: SIM118 (a pikepdf Dictionary)
            if key not in leave:
                yield pikepdf.Name(key).unparse() + b" " + self.value(dictionary[key])

    def drain(self) -> None:
        """Write every object reached so far, and every object they reach."""
        import pikepdf

        while self.todo:
            obj = self.todo.pop()
            number = self.numbers[obj.objgen]
            if obj._type_code == pikepdf.ObjectType.stream:
                entries = b"".join(self.entries(obj.stream_dict, frozenset({"/Length"})))
                data = obj.read_raw_bytes()
                if "/Filter" not in obj.stream_dict and obj.stream_dict.get("/Type") != "/Metadata":
                    # Made here: the page numbers' parts.
                    data = zlib.compress(data)
                    entries += b"/Filter/FlateDecode"
                self.writer.write_stream(number, entries, data)
            else:
                self.writer.write(number, self.direct(obj))


def _tree_pairs(node: pikepdf.Object, leaves: str) -> Iterator[tuple[Any, pikepdf.Object]]:
    """The (key, value) pairs of a name tree (`leaves` "/Names") or a number tree
    ("/Nums"), in order."""
    if leaves in node:
        pairs = node[leaves]
        for index in range(0, len(pairs), 2):
            yield pairs[index], pairs[index + 1]
    for kid in node.get("/Kids", []):
        yield from _tree_pairs(kid, leaves)


def _as_artifacts(numbers: pikepdf.Pdf) -> None:
    """The page numbers' content marked as pagination artifacts: WeasyPrint tags them as
    spans of its own structure, which the join leaves behind."""
    import pikepdf

    tag = [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
    for page in numbers.pages:
        commands = [
            pikepdf.ContentStreamInstruction(tag, command.operator)
            if str(command.operator) == "BDC"
            else command
            for command in pikepdf.parse_content_stream(page)
        ]
        page.obj.Contents = numbers.make_stream(pikepdf.unparse_content_stream(commands))


def _overlay(piece: pikepdf.Pdf, page: pikepdf.Page, numbers: pikepdf.Page) -> None:
    """`numbers` drawn over `page`, as a Form XObject (pikepdf's add_overlay, without
    its rewriting every page's content into one uncompressed stream)."""
    import pikepdf

    form = piece.copy_foreign(numbers.as_form_xobject())
    name = page.add_resource(form, pikepdf.Name.XObject, prefix="PsrPageNumber")
    placed = page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.trimbox))
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ\n" + placed)


class _Joined:
    """What the joined file gathers across its pieces."""

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.catalog = writer.reserve()
        self.page_tree = writer.reserve()
        self.structure = writer.reserve()
        self.document = writer.reserve()
        self.pages: list[int] = []
        self.document_kids: list[bytes] = []
        self.parent_tree: list[tuple[int, bytes]] = []
        self.next_key = 0
        self.destinations: dict[str, bytes] = {}
        self.catalog_entries: list[bytes] = []
        self.document_entries: list[bytes] = []
        self.structure_entries: list[bytes] = []
        self.info: int | None = None
        self.identifier = b""

    def add(self, files: PieceFiles, first: bool, keep: Callable[[str], bool]) -> None:
        import pikepdf

        with pikepdf.open(files.pdf) as piece, pikepdf.open(files.numbers) as numbers:
            if len(numbers.pages) != len(piece.pages):
                raise ValueError(f"{files.numbers}: not one page number a page of {files.pdf}")
            _as_artifacts(numbers)
            root = piece.Root
            tree = root.StructTreeRoot
            kids = tree.K
            document = kids[0] if kids._type_code == pikepdf.ObjectType.array else kids
            fixed = {root.objgen: self.catalog, tree.objgen: self.structure}
            fixed[document.objgen] = self.document
            offset = self.next_key
            for page, number in zip(piece.pages, numbers.pages, strict=True):
                fixed[page.obj.Parent.objgen] = self.page_tree
                _overlay(piece, page, number)
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + offset
                for annotation in page.obj.get("/Annots", []):
                    if "/StructParent" in annotation:
                        annotation.StructParent = int(annotation.StructParent) + offset
            copier = _Copier(self.writer, fixed)
            self.pages.extend(copier.ref(page.obj) for page in piece.pages)
            found = document.K
            document_kids = list(found) if found._type_code == pikepdf.ObjectType.array else [found]
            self.document_kids.extend(copier.value(kid) for kid in document_kids)
            for key, value in _tree_pairs(tree.ParentTree, "/Nums"):
                self.parent_tree.append((int(key) + offset, copier.value(value)))
                self.next_key = max(self.next_key, int(key) + offset + 1)
            if "/Names" in root and "/Dests" in root.Names:
                for name, destination in _tree_pairs(root.Names.Dests, "/Names"):
                    if keep(str(name)):
                        self.destinations[str(name)] = copier.value(destination)
            if first:
                self._take_first(piece, root, tree, document, copier)
            copier.drain()

    def _take_first(
        self,
        piece: pikepdf.Pdf,
        root: pikepdf.Object,
        tree: pikepdf.Object,
        document: pikepdf.Object,
        copier: _Copier,
    ) -> None:
        rebuilt = frozenset({"/Type", "/Pages", "/StructTreeRoot", "/Names", "/Outlines"})
        self.catalog_entries = list(copier.entries(root, rebuilt))
        self.document_entries = list(copier.entries(document, frozenset({"/K", "/P"})))
        structure_own = frozenset({"/K", "/ParentTree", "/ParentTreeNextKey", "/IDTree"})
        self.structure_entries = list(copier.entries(tree, structure_own))
        if "/Info" in piece.trailer:
            self.info = copier.ref(piece.trailer.Info)
        identifier = piece.trailer.get("/ID")
        self.identifier = bytes(identifier[0]) if identifier is not None else b"psr"

    def _outline(self, bookmarks: Sequence[Bookmark]) -> int | None:
        if not bookmarks:
            return None
        import pikepdf

        numbers = [self.writer.reserve() for _ in bookmarks]
        root = self.writer.reserve()
        parents: list[int] = []
        children: dict[int, list[int]] = {}
        stack: list[tuple[int, int]] = []  # (level, index)
        for index, mark in enumerate(bookmarks):
            while stack and stack[-1][0] >= mark.level:
                stack.pop()
            parent = stack[-1][1] if stack else -1
            parents.append(parent)
            children.setdefault(parent, []).append(index)
            stack.append((mark.level, index))

        def shown(index: int) -> int:
            """The items shown under an item (PDF 12.3.3: /Count of an open item)."""
            kids = children.get(index, [])
            return len(kids) + sum(shown(kid) for kid in kids if bookmarks[kid].opened)

        for index, mark in enumerate(bookmarks):
            parent = parents[index]
            siblings = children[parent]
            at = siblings.index(index)
            entries = [
                b"/Title " + pikepdf.String(mark.title).unparse(),
                b"/Parent %d 0 R" % (numbers[parent] if parent >= 0 else root),
                b"/Dest[%d 0 R/XYZ %s %s 0]"
                % (self.pages[mark.page], _number(mark.left), _number(mark.top)),
            ]
            if at > 0:
                entries.append(b"/Prev %d 0 R" % numbers[siblings[at - 1]])
            if at + 1 < len(siblings):
                entries.append(b"/Next %d 0 R" % numbers[siblings[at + 1]])
            if index in children:
                kids = children[index]
                count = shown(index)
                entries.append(b"/First %d 0 R/Last %d 0 R" % (numbers[kids[0]], numbers[kids[-1]]))
                entries.append(b"/Count %d" % (count if mark.opened else -len(kids)))
            self.writer.write(numbers[index], b"<<" + b"".join(entries) + b">>")
        top = children[-1]
        self.writer.write(
            root,
            b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>"
            % (numbers[top[0]], numbers[top[-1]], len(top) + sum(shown(i) for i in top)),
        )
        return root

    def finish(self, bookmarks: Sequence[Bookmark]) -> None:
        writer = self.writer
        kids = b" ".join(b"%d 0 R" % page for page in self.pages)
        writer.write(self.page_tree, b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, len(self.pages)))
        writer.write(
            self.document,
            b"<<%s/P %d 0 R/K[%s]>>"
            % (b"".join(self.document_entries), self.structure, b" ".join(self.document_kids)),
        )
        parent_tree = writer.reserve()
        nums = b" ".join(b"%d %s" % pair for pair in self.parent_tree)
        writer.write(parent_tree, b"<</Nums[%s]>>" % nums)
        writer.write(
            self.structure,
            b"<<%s/K[%d 0 R]/ParentTree %d 0 R/ParentTreeNextKey %d>>"
            % (b"".join(self.structure_entries), self.document, parent_tree, self.next_key),
        )
        import pikepdf

        entries = [*self.catalog_entries, b"/Type/Catalog/Pages %d 0 R" % self.page_tree]
        entries.append(b"/StructTreeRoot %d 0 R" % self.structure)
        if self.destinations:
            names = b" ".join(
                pikepdf.String(name).unparse() + b" " + self.destinations[name]
                for name in sorted(self.destinations)
            )
            dests = writer.reserve()
            writer.write(dests, b"<</Names[%s]>>" % names)
            entries.append(b"/Names<</Dests %d 0 R>>" % dests)
        outline = self._outline(bookmarks)
        if outline is not None:
            entries.append(b"/Outlines %d 0 R" % outline)
        writer.write(self.catalog, b"<<" + b"".join(entries) + b">>")
        writer.finish(self.catalog, self.info, self.identifier)


def join_pdfs(
    pieces: Sequence[PieceFiles],
    bookmarks: Sequence[Bookmark],
    out: IO[bytes],
    keep: Callable[[str], bool],
) -> None:
    """Write the pieces, in order, as one PDF to `out`; `keep(name)` says whether a named
    destination of a piece is kept (the marks used only to cut the pieces are not)."""
    import pikepdf

    with pikepdf.open(pieces[0].pdf) as first:
        version = first.pdf_version
    joined = _Joined(_Writer(out, version))
    for index, files in enumerate(pieces):
        joined.add(files, index == 0, keep)
    joined.finish(bookmarks)
