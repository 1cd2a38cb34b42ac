"""The project's URLs, its error handlers, and a page that breaks: for the error-page tests."""

from django.urls import path

from tracker import urls


def broken_page(request):
    raise RuntimeError("a bug in a view")


handler403 = None
handler500 = urls.handler500
urlpatterns = [*urls.urlpatterns, path("broken/", broken_page)]
