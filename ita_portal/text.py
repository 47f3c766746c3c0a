"""Text as people paste it: the one place that cleans what comes from Word, spreadsheets and files.

Word's Shift+Enter is U+000B (vertical tab) and its page break U+000C; neither prints and both make PDF
and DOCX output fail. NUL cannot be stored in PostgreSQL. Other C0/C1 controls have no meaning in a
report. A BOM or zero-width no-break space pasted from a file start is noise. Line ends become "\\n".
"""

import re

_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
# C0 controls except tab and newline, DEL, C1 controls, and U+FEFF anywhere in the text.
_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ufeff]")


def normalise_text(value):
    """Return *value* with line breaks unified and non-printing control characters removed.

    None and non-strings are returned as they are, so form and import code can call it on any field.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    return _DROPPED.sub("", value)
