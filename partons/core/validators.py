from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's, with a message our catalogues translate (Django 5.2's new wording lacks a Dutch one)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short", params={"min_length": self.min_length})

    def get_error_message(self):
        return _("This password is too short: use at least %(min_length)d characters.") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("Use at least %(min_length)d characters.") % {"min_length": self.min_length}
