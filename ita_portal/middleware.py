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

# --- security headers that depend on the page -------------------------------------------------------

# Namespaces of the public pages (no login): they keep their own caching.
PUBLIC_NAMESPACES = frozenset({"public", "opendata"})
# Views answering a stored report document (HTML): served with a sandboxing policy of their own.
DOCUMENT_VIEWS = frozenset({"public:version", "public:version_html", "public:latest", "reports:preview"})
NO_STORE = "private, no-store"


class SecurityHeadersMiddleware:
    """The one place that decides the caching of staff pages and the policy of report documents.

    - Every response that is not a public page (and did not choose its own caching) is
      `Cache-Control: private, no-store`: staff pages, the admin, logins, errors, exports.
    - A report document (a published version or the staff preview, HTML) gets `document_policy()`:
      sandboxed, no script, its styles allowed by hash. Every other page keeps the site-wide policy of
      django-csp (settings.CONTENT_SECURITY_POLICY), which this middleware must sit inside of.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match else ""
        public = bool(match) and match.namespace in PUBLIC_NAMESPACES and response.status_code < 400
        if not public and "Cache-Control" not in response:
            response["Cache-Control"] = NO_STORE
        if view_name in DOCUMENT_VIEWS and response.get("Content-Type", "").startswith("text/html"):
            self._sandbox(response)
        return response

    @staticmethod
    def _sandbox(response):
        from ita_portal.security import document_policy

        if response.streaming:
            body = b"".join(response.streaming_content)
            response.streaming_content = [body]
        else:
            body = response.content
        response["Content-Security-Policy"] = document_policy(body.decode("utf-8", "replace"))
