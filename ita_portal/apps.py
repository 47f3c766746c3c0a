from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ItaPortalConfig(AppConfig):
    name = "ita_portal"
    verbose_name = "ITA Portal"


class AxesConfig(AxesAppConfig):
    """django-axes under a Thai heading in the admin (the library names its section by its label, "Axes")."""

    verbose_name = _("Login protection")
