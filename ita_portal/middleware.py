"""Thai first: every visitor gets Thai unless they chose another language on the portal itself."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, minus the browser's Accept-Language: many officials' browsers and
    phones are set to English, and the portal's users, documents and reports are Thai. A language chosen
    with the switch at the foot of each page (the language cookie) is honoured."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # Accept-Language decides nothing here, so caches need not keep a copy per browser language (Django's
        # LocaleMiddleware would add `Vary: Accept-Language` to every response, public documents included).
        # Pages that follow the language cookie vary on Cookie already (session, CSRF).
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
