from django.http import HttpResponse


def agenda(request):  # placeholder
    return HttpResponse("")
