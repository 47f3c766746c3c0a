from django.utils.functional import SimpleLazyObject


def portal(request):
    """`nav_overview`: whether the overview dashboard link shows (superusers and province viewers)."""

    def can_see_overview():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return user.is_superuser or user.province_grants.exists()

    return {"nav_overview": SimpleLazyObject(can_see_overview)}
