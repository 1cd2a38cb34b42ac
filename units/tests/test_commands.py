import re

from django.contrib.auth import get_user_model
from django.core.management import call_command


def test_first_run_creates_an_admin_with_a_printed_generated_password(db, capsys):
    call_command("create_local_admin")
    output = capsys.readouterr().out
    password = re.search(r"password: (\S+)", output).group(1)
    assert len(password) >= 16
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)


def test_second_run_creates_nothing_and_prints_no_password(db, capsys):
    call_command("create_local_admin")
    capsys.readouterr()
    call_command("create_local_admin")
    output = capsys.readouterr().out
    assert output == "A superuser exists already; no password printed.\n"
    assert get_user_model().objects.count() == 1


def test_passwords_differ_between_installations(db, capsys):
    call_command("create_local_admin")
    first = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    get_user_model().objects.all().delete()
    call_command("create_local_admin")
    second = re.search(r"password: (\S+)", capsys.readouterr().out).group(1)
    assert first != second
