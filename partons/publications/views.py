from django.http import HttpResponse


def publication_list(request):  # placeholder until the app is built
    return HttpResponse("")
