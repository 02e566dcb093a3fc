import json

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import Row

# What the page lists: 20 items, as many as a page of Coproduce's proposals.
ITEMS = [
    {"title": f"Proposal {n}", "text": "Open the library on Sunday afternoons.", "supports": n}
    for n in range(1, 21)
]


@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    """Store the posted JSON document as one row."""
    try:
        data = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("not JSON")
    row = Row.objects.create(data=data)
    return JsonResponse({"id": row.pk}, status=201)


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """A simple template over a static list."""
    return render(request, "bare/page.html", {"title": "Have your say", "items": ITEMS})
