"""Pagination like Word at its best, done on WeasyPrint's laid-out pages before they are drawn.

- A table row that continues on the next page repeats its title there with "(ต่อ)": the row's title
  cell (class cont-cell) is empty in the continued part, so the lines laid out on the page before are
  copied into it, followed by the "(ต่อ)" line laid out hidden below them (div.cont-mark), made visible.
  Title lines that do not fit the continued part's height are left out; the mark is always shown. A title
  that is itself split by the page is shown whole when it fits (else its rest), followed by the mark.
  (A hidden block costs nothing; a hidden inline span after the title made WeasyPrint lay every title
  out again for each of its lines: a quarter of a results report's rendering time.)
- The memo's comment chain: the comment that starts a new page is found here, so the document can be laid
  out again with the continuation note "/ความเห็นของ…" at the foot of the page before (reports/render.py).
"""

from __future__ import annotations

from weasyprint.css import AnonymousStyle
from weasyprint.formatting_structure import boxes


def _has_class(box, name: str) -> bool:
    """The box is the element's own box (not an anonymous one) and the element has the class."""
    element = getattr(box, "element", None)
    if element is None or isinstance(box.style, AnonymousStyle):
        return False
    return name in (element.get("class") or "").split()


def _text_of(box) -> str:
    return "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox) and b.style["visibility"] == "visible")


def _rows(page) -> list:
    return [b for b in page._page_box.descendants() if isinstance(b, boxes.TableRowBox) and _has_class(b, "data-row")]


def _cont_cell(row):
    return next((cell for cell in row.children if _has_class(cell, "cont-cell")), None)


def _show_marks(box) -> None:
    for child in box.descendants():
        if isinstance(child, (boxes.InlineBox, boxes.TextBox)) and child.style["visibility"] != "visible":
            child.style = child.style.copy()
            child.style["visibility"] = "visible"


def _parts(cell) -> tuple[list, list]:
    """(title lines, "(ต่อ)" lines) of a title cell; the hidden mark (div.cont-mark) may have been laid
    out on either page of a continued row. A cell filled here keeps its parts for the page after it."""
    if hasattr(cell, "title_parts"):
        return cell.title_parts
    mark = next((b for b in cell.descendants() if isinstance(b, boxes.BlockBox) and _has_class(b, "cont-mark")), None)
    mark_lines = [b for b in mark.descendants() if isinstance(b, boxes.LineBox)] if mark is not None else []
    title = [b for b in cell.descendants() if isinstance(b, boxes.LineBox) and b not in mark_lines]
    return title, mark_lines


def _copies(lines: list, dx: float, dy: float) -> list:
    copies = [line.deepcopy() for line in lines]
    for line in copies:
        line.translate(dx, dy)
    return copies


def _height(lines: list) -> float:
    return lines[-1].position_y + lines[-1].height - lines[0].position_y if lines else 0


def _fill(row, continued, original) -> None:
    """Show the title on the continued part of a row, followed by "(ต่อ)". A title split by the page is
    shown whole when it fits (its first lines copied above the rest); else its rest stays as it is."""
    earlier, mark = _parts(original)
    rest, mark_here = _parts(continued)
    top, dx = continued.content_box_y(), continued.content_box_x() - original.content_box_x()
    copied = _copies(earlier, dx, top - original.content_box_y())
    marks = _copies(mark, dx, 0) if mark else mark_here  # placed below the title further down
    # The row's height on this page below the cell's content top (an empty cell's padding was stretched to
    # the row's height by WeasyPrint, so its own padding cannot tell), less a line's breath.
    room = row.position_y + row.height - top - 3 - _height(marks)
    if not rest:
        lines = [line for line in copied if line.position_y + line.height - top <= room]
    elif _height(copied) + _height(rest) <= room:
        lines = copied + _copies(rest, 0, (copied[-1].position_y + copied[-1].height if copied else top) - rest[0].position_y)
    else:
        lines = rest  # never cut what only this page holds
    bottom = lines[-1].position_y + lines[-1].height if lines else top
    for line in marks:
        line.translate(0, bottom - line.position_y)
        bottom += line.height
        _show_marks(line)
    continued.children = lines + marks
    continued.title_parts = (lines, marks)  # a row running over three pages or more


def repeat_continued_titles(document) -> int:
    """Fill the title cell of every row continued from the previous page; returns how many."""
    filled = 0
    previous_last = None
    for page in document.pages:
        rows = _rows(page)
        if rows and previous_last is not None and rows[0].element is previous_last.element:
            cell, before = _cont_cell(rows[0]), _cont_cell(previous_last)
            if cell is not None and before is not None and _text_of(before).strip():
                _fill(rows[0], cell, before)
                filled += 1
        if rows:
            previous_last = rows[-1]
    return filled


def _comments_on(page) -> list[int]:
    return [
        int(b.element.get("data-chain")) for b in page._page_box.descendants()
        if isinstance(b, boxes.BlockBox) and _has_class(b, "comment")
    ]  # fmt: skip


def chain_page_starts(document) -> list[int]:
    """Indexes of the memo's comment blocks (div.comment[data-chain]) that begin a page after the first."""
    starts = []
    for number in range(1, len(document.pages)):
        here, before = _comments_on(document.pages[number]), _comments_on(document.pages[number - 1])
        if here and min(here) not in before:
            starts.append(min(here))
    return starts
