"""Demo data for a fresh clone: the seed units (through the interchange format when it is available)
and one account per role, printed so that a newcomer can log in at once.

Idempotent: running it again keeps what is there and resets the demo passwords.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from units.models import Department, Membership, ProvinceGrant, Unit

DEMO_PASSWORD = "ita-demo-2568"

# Used only when the interchange demo files are not loaded (they bring these units and more).
FALLBACK_UNITS = [
    {
        "slug": "sra-krachom",
        "name": "องค์การบริหารส่วนตำบลสระกระโจม",
        "short_name": "อบต.สระกระโจม",
        "kind": Unit.Kind.SAO,
        "district": "ดอนเจดีย์",
        "province": "สุพรรณบุรี",
        "departments": ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "กองสาธารณสุขและสิ่งแวดล้อม"],
    },
    {
        "slug": "sra-kaeo",
        "name": "องค์การบริหารส่วนตำบลสระแก้ว",
        "short_name": "อบต.สระแก้ว",
        "kind": Unit.Kind.SAO,
        "district": "หนองหงส์",
        "province": "บุรีรัมย์",
        "departments": ["สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ", "กองสวัสดิการฯ", "กองส่งเสริมการเกษตร"],
    },
]

# (username, first name, last name, unit slug or None, role, position)
DEMO_ACCOUNTS = [
    ("admin", "ผู้ดูแล", "ระบบ", None, "superuser", "ผู้ดูแลระบบ ITA Portal"),
    ("somchai", "สมชาย", "ใจดี", "sra-krachom", Membership.Role.ADMIN, "นักจัดการงานทั่วไป"),
    ("somsri", "สมศรี", "รักงาน", "sra-krachom", Membership.Role.EDITOR, "เจ้าพนักงานธุรการ"),
    ("nayok", "ประยูร", "มั่นคง", "sra-krachom", Membership.Role.EXECUTIVE, "นายกองค์การบริหารส่วนตำบลสระกระโจม"),
    ("kanchana", "กาญจนา", "ผลขาว", "sra-kaeo", Membership.Role.EDITOR, "นักวิชาการคอมพิวเตอร์"),
    ("provincial", "สมหมาย", "ดูแลดี", None, "province", "ท้องถิ่นจังหวัดสุพรรณบุรี"),
]


class Command(BaseCommand):
    help = "Load the demo units and create one demo account per role (prints the logins)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")
        parser.add_argument("--no-publish", action="store_true", help="do not publish the demo reports")

    def handle(self, *args, quiet_logins=False, **options):
        with transaction.atomic():
            self.load_units()
            self.create_accounts()
        if not options.get("no_publish"):
            from reports.demo import publish_demo_reports

            for line in publish_demo_reports(get_user_model().objects.get(username="admin")):
                self.stdout.write(line)
        if not quiet_logins:
            self.print_logins()

    def load_units(self):
        try:
            from interchange.demo import load_demo_files
        except ImportError:
            load_demo_files = None
        if load_demo_files is not None:
            for line in load_demo_files():
                self.stdout.write(line)
        from reports.demo import load_demo_report_settings

        load_demo_report_settings()
        for spec in FALLBACK_UNITS:
            spec = dict(spec)
            departments = spec.pop("departments")
            unit, created = Unit.objects.get_or_create(slug=spec["slug"], defaults=spec)
            if created:
                Department.objects.bulk_create(
                    Department(unit=unit, name=name, order=i) for i, name in enumerate(departments)
                )

    def create_accounts(self):
        User = get_user_model()
        for username, first, last, slug, role, position in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = role == "superuser"
            user.save()
            if role == "province":
                ProvinceGrant.objects.get_or_create(user=user, province="สุพรรณบุรี")
            elif slug:
                Membership.objects.update_or_create(
                    user=user, unit=Unit.objects.get(slug=slug), defaults={"role": role, "position": position}
                )

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for username, first, last, slug, role, _position in DEMO_ACCOUNTS:
            where = slug or ("ทุกหน่วยงาน" if role == "superuser" else "จังหวัดสุพรรณบุรี")
            self.stdout.write(f"  {username:<11} {role:<10} {where}  ({first} {last})")
