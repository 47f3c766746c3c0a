"""Thailand's 77 provinces (76 จังหวัด and กรุงเทพมหานคร), as units and province grants name them: the name
without "จังหวัด", in Thai alphabetical order (the Department of Provincial Administration's list).

Units and grants match by this exact text, so the admin offers these choices instead of free text: a typo
in a province breaks a province viewer's access silently.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROVINCES: tuple[str, ...] = (
    "กรุงเทพมหานคร", "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี", "ฉะเชิงเทรา",
    "ชลบุรี", "ชัยนาท", "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง", "ตราด", "ตาก", "นครนายก",
    "นครปฐม", "นครพนม", "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์", "นนทบุรี", "นราธิวาส", "น่าน",
    "บึงกาฬ", "บุรีรัมย์", "ปทุมธานี", "ประจวบคีรีขันธ์", "ปราจีนบุรี", "ปัตตานี", "พระนครศรีอยุธยา",
    "พะเยา", "พังงา", "พัทลุง", "พิจิตร", "พิษณุโลก", "เพชรบุรี", "เพชรบูรณ์", "แพร่", "ภูเก็ต",
    "มหาสารคาม", "มุกดาหาร", "แม่ฮ่องสอน", "ยโสธร", "ยะลา", "ร้อยเอ็ด", "ระนอง", "ระยอง", "ราชบุรี",
    "ลพบุรี", "ลำปาง", "ลำพูน", "เลย", "ศรีสะเกษ", "สกลนคร", "สงขลา", "สตูล", "สมุทรปราการ",
    "สมุทรสงคราม", "สมุทรสาคร", "สระแก้ว", "สระบุรี", "สิงห์บุรี", "สุโขทัย", "สุพรรณบุรี", "สุราษฎร์ธานี",
    "สุรินทร์", "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ", "อุดรธานี", "อุตรดิตถ์", "อุทัยธานี",
    "อุบลราชธานี",
)  # fmt: skip
PROVINCE_SET = frozenset(PROVINCES)


def province_choices(current: str = "") -> list[tuple[str, str]]:
    """The select's choices: a blank one, the 77 provinces, and a value stored before the list existed
    (so that editing an old unit does not fail on a field nobody touched)."""
    choices = [("", "---------")] + [(name, name) for name in PROVINCES]
    if current and current not in PROVINCE_SET:
        choices.append((current, current))
    return choices


def validate_province(value: str, *, allowed_old: str = "") -> None:
    if value and value not in PROVINCE_SET and value != allowed_old:
        raise ValidationError(
            _("Province: choose one of the country's 77 provinces (%(value)s is not one).")
            % {"value": value},
            code="unknown_province",
        )
