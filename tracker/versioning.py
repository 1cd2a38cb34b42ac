"""
Two people editing the same record: the second save is refused, never a silent
overwrite.

Every editable record carries a version number. A form sends back the version it
showed; saving writes only if the record still has that version, and raises it by
one. The check and the write are one UPDATE ... WHERE version = %s inside the save's
transaction, so two saves at the same moment cannot both pass.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils.translation import gettext_lazy as _

CHANGED_MESSAGE = _(
    "Someone else saved this record after you opened it. Your changes were not saved: "
    "reload the page to see the record as it is now, then make your changes again."
)


class RecordChanged(Exception):
    """The record was saved by someone else since this copy of it was read."""


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            moved_on = (
                type(self)
                ._base_manager.using(using)
                .filter(pk=self.pk, version=self.version)
                .update(version=models.F("version") + 1)
            )
            if not moved_on:
                raise RecordChanged(CHANGED_MESSAGE)
            self.version += 1
            super().save(*args, **kwargs)


class VersionedForm(forms.ModelForm):
    """A model form that carries the record's version, hidden, and refuses a stale one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = self.instance.pk is not None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            cleaned["version"] = self.instance.version  # a new record starts at its default
        elif cleaned.get("version") != self.instance.version:
            # The instance was read for this request: it holds the version saved now.
            raise ValidationError(CHANGED_MESSAGE, code="record_changed")
        return cleaned
