from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from partons.api.api import api
from partons.web import views as web_views

# The admin signs people in through the site's own login (password, then the second factor): its own login form
# would let a password alone in.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Partons administration")
admin.site.site_title = _("Partons")
admin.site.index_title = _("Manage the platform")

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("api/", api.urls),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("partons.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("services/", include("partons.observatory.urls")),
    path("access/", include("partons.analysis.urls")),
    path("ideas/", include("partons.ideas.urls")),
    path("calls/", include("partons.calls.urls")),
    path("events/", include("partons.events.urls")),
    path("cooperation/", include("partons.cooperation.urls")),
    path("publications/", include("partons.publications.urls")),
    path("surveys/", include("partons.surveys.urls")),
    path("newsletter/", include("partons.newsletters.urls")),
    path("print/", include("partons.prints.urls")),
    path("", include("partons.web.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "partons.web.views.not_found"
