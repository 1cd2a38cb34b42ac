from django.conf import settings
from django.utils import translation


class DefaultLanguageMiddleware:
    """
    Vietnamese unless the user picked another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which on the
    bloc's Windows desktops is often English. Here only the language cookie (set by
    the language switcher) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
