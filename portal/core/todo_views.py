"""The "to do" home (`portal/core/todo.py`): the page every person lands on after logging in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.accounts.second_factor import dormant_roles

from . import todo


@login_required
def todo_home(request):
    """One page, a section per kind of work the person may do (each app's), each item a link to act."""
    return render(request, "core/todo.html", {
        "sections": todo.sections(request),
        # The secretariat's and focal points' work waits for their second factor: say so first.
        "second_factor_required": bool(dormant_roles(request.user)),
    })
