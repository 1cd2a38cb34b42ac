import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "For a local run: create the superuser 'admin' with a generated password and print it "
        "once. Does nothing when any superuser exists already."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists already; no password printed.")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the local administrator.\n  user:     {username}\n  password: {password}\n"
                "This password is shown only now. Change it in the admin, or run "
                f"'python manage.py changepassword {username}'."
            )
        )
