import pytest

from ita_portal.text import normalise_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ผลการดำเนินงาน\x0bบรรทัดใหม่", "ผลการดำเนินงาน\nบรรทัดใหม่"),
        ("หน้า\x0cถัดไป", "หน้า\nถัดไป"),
        ("มี\x00ศูนย์", "มีศูนย์"),
        ("\ufeffเริ่มต้น", "เริ่มต้น"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("แท็บ\tคงอยู่", "แท็บ\tคงอยู่"),
        ("เสร็จ ✅ 100% m²", "เสร็จ ✅ 100% m²"),
        ("ระฆัง\x07\x1b\x7f\x9f", "ระฆัง"),
    ],
)
def test_normalise_text(raw, clean):
    assert normalise_text(raw) == clean


def test_non_strings_pass_through():
    assert normalise_text(None) is None
    assert normalise_text(5) == 5
