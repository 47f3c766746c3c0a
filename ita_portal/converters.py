"""URL converters shared by the apps."""


class FiscalYearConverter:
    """A B.E. fiscal year in a URL: four digits (2568). Anything longer is no year of ours, and would
    overflow the database's integer columns if it reached a query."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
