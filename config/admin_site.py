"""The Django admin, open to the evaluator and admin roles rather than to is_staff only."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from panels.permissions import is_evaluator


def may_use_admin(user) -> bool:
    """Return whether the user may enter the admin; what they see there is up to their
    model permissions, which the role groups carry."""
    return user.is_active and (user.is_staff or is_evaluator(user))


class RoleAuthenticationForm(AdminAuthenticationForm):
    """The admin's log-in form, accepting the roles as well as staff."""

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)
        if not may_use_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SurveyAdminSite(admin.AdminSite):
    site_header = "Key informant panel surveys"
    site_title = "Panel surveys admin"
    login_form = RoleAuthenticationForm

    def has_permission(self, request) -> bool:
        return may_use_admin(request.user)
