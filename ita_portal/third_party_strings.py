"""Strings of libraries without a Thai catalog, translated in the portal's own (locale/th).

django-tables2 ships no Thai: its pagination links read "previous" and "next". Marking the strings here
keeps `makemessages` from dropping their Thai translations as unused.
"""

from django.utils.translation import gettext_noop

DJANGO_TABLES2 = [gettext_noop("previous"), gettext_noop("next")]
