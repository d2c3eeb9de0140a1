from django.http import HttpResponseServerError, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language


def admin_login_redirect(request):
    """Wagtail's login page sends people to the site's login, keeping where they were going."""
    target = reverse("account_login")
    next_url = request.GET.get("next")
    if next_url:
        target += "?" + urlencode({"next": next_url})
    return redirect(target)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors, no database: this must render even when the database is down.
    return HttpResponseServerError(get_template("500.html").render({"lang": get_language() or "fr"}))


def csv_download(lines, filename: str) -> StreamingHttpResponse:
    """CSV `lines` (text, already written by the portal's writers: `portal.core.spreadsheets`) streamed
    as a UTF-8 attachment named `filename`."""
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
