"""One demo account per role, printed by `manage.py load_demo` so that a newcomer can log in at once."""

from django.contrib.auth import get_user_model

from units.models import Membership, ProvinceGrant, Unit

DEMO_PASSWORD = "ita-demo-2568"
DEMO_PROVINCE = "สุพรรณบุรี"

# (username, first name, last name, unit slug or None, role, position)
DEMO_ACCOUNTS = [
    ("admin", "ผู้ดูแล", "ระบบ", None, "superuser", "ผู้ดูแลระบบ ITA Portal"),
    ("somchai", "สมชาย", "ใจดี", "sra-krachom", Membership.Role.ADMIN, "นักจัดการงานทั่วไป"),
    ("somsri", "สมศรี", "รักงาน", "sra-krachom", Membership.Role.EDITOR, "เจ้าพนักงานธุรการ"),
    ("nayok", "ประยูร", "มั่นคง", "sra-krachom", Membership.Role.EXECUTIVE, "นายกองค์การบริหารส่วนตำบลสระกระโจม"),
    ("kanchana", "กาญจนา", "ผลขาว", "sra-kaeo", Membership.Role.EDITOR, "นักวิชาการคอมพิวเตอร์"),
    ("provincial", "สมหมาย", "ดูแลดี", None, "province", "ท้องถิ่นจังหวัดสุพรรณบุรี"),
]


def create_accounts() -> None:
    """Create the accounts, or reset their passwords and roles when they exist."""
    User = get_user_model()
    for username, first, last, slug, role, position in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = role == "superuser"
        user.save()
        if role == "province":
            ProvinceGrant.objects.get_or_create(user=user, province=DEMO_PROVINCE)
        elif slug:
            Membership.objects.update_or_create(
                user=user, unit=Unit.objects.get(slug=slug), defaults={"role": role, "position": position}
            )


def login_lines() -> list[str]:
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD})"]
    for username, first, last, slug, role, _position in DEMO_ACCOUNTS:
        where = slug or ("ทุกหน่วยงาน" if role == "superuser" else f"จังหวัด{DEMO_PROVINCE}")
        lines.append(f"  {username:<11} {role:<10} {where}  ({first} {last})")
    return lines
