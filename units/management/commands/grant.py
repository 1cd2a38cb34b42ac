import getpass
import secrets
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from units.models import Role
from units.services import user_grant

ROLE_NAMES = {value.replace("_", "-"): value for value in Role.values}


class Command(BaseCommand):
    help = (
        "Create or update a user attached to a unit with a role: bloc-admin (everything), "
        "bloc-viewer (reads everything), unit-editor (logs and edits the unit's subtree), "
        "unit-viewer (reads the unit's subtree). A new user's password is asked for, or, "
        "without a terminal or with --no-input, generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--unit", required=True, help="Unit code, e.g. STP. Bloc roles take the bloc's code."
        )
        parser.add_argument("--role", required=True, choices=sorted(ROLE_NAMES))
        parser.add_argument("--no-input", action="store_true", help="Never prompt; generate a password.")

    def handle(self, *args, username, unit, role, no_input, **options):
        translation.activate(settings.LANGUAGE_CODE)
        exists = get_user_model().objects.filter(username=username).exists()
        password, generated = None, False
        if not exists:
            if no_input or not sys.stdin.isatty():
                password, generated = secrets.token_urlsafe(12), True
            else:
                password = self.ask_password(username)
        try:
            user, created = user_grant(
                username=username, unit_code=unit, role=ROLE_NAMES[role], password=password
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        membership = user.membership
        verb = _("Created") if created else _("Updated")
        self.stdout.write(f"{verb}: {user.username} — {membership.get_role_display()} — {membership.unit}")
        if generated:
            self.stdout.write(_("Password (shown only now): %(password)s") % {"password": password})

    def ask_password(self, username):
        while True:
            password = getpass.getpass(_("Password for %(username)s: ") % {"username": username})
            if password != getpass.getpass(_("Password (again): ")):
                self.stderr.write(_("The passwords differ."))
                continue
            try:
                validate_password(password)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
