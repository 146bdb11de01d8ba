from django.http import HttpResponse


def action_plan(request):  # placeholder until the app is built
    return HttpResponse("")
