from django import forms
from django.utils.translation import gettext_lazy as _

from tracker.text import refuse_controls

from .models import LEAVE_REASON_MESSAGE, AttendanceStatus


class AttendanceForm(forms.Form):
    """
    The roll call of one session on a phone: the cell's members, each present unless
    marked otherwise (exempt when exempt from meetings that day), a reason beside an
    absence with leave.
    """

    prefix = "attendance"

    def __init__(self, data=None, *, cell, members, stored=None, new_list=False):
        super().__init__(data)
        self.new_list = new_list
        self.members = list(members)
        stored = stored or {}
        # The cell the list was made for: a page posted for another cell is not read.
        self.fields["cell"] = forms.IntegerField(widget=forms.HiddenInput, initial=cell.pk)
        self.cell = cell
        for member in self.members:
            default = AttendanceStatus.EXEMPT if member.is_exempt else AttendanceStatus.PRESENT
            status, reason = stored.get(member.pk, (default, ""))
            self.fields[f"status_{member.pk}"] = forms.ChoiceField(
                label=member.full_name, choices=AttendanceStatus.choices, initial=status
            )
            self.fields[f"reason_{member.pk}"] = refuse_controls(
                forms.CharField(label=_("Reason"), required=False, max_length=255, initial=reason)
            )

    def clean(self):
        cleaned = super().clean()
        for member in self.members:
            status, reason = cleaned.get(f"status_{member.pk}"), cleaned.get(f"reason_{member.pk}")
            # A reason refused for itself is said once, by its own error.
            if status == AttendanceStatus.EXCUSED and reason is not None and not reason.strip():
                self.add_error(f"reason_{member.pk}", LEAVE_REASON_MESSAGE)
        return cleaned

    @property
    def cell_field(self):
        return self["cell"]

    def rows(self):
        """(member, status field, reason field) in the order of the list."""
        return [(member, self[f"status_{member.pk}"], self[f"reason_{member.pk}"]) for member in self.members]

    def marks(self):
        """{member: (status, reason)} for members.services.attendance_record."""
        return {
            member: (self.cleaned_data[f"status_{member.pk}"], self.cleaned_data[f"reason_{member.pk}"])
            for member in self.members
        }
