"""
Text as people type it, stored one way.

Vietnamese has two Unicode spellings of most accented letters: precomposed (NFC,
what most keyboards give) and decomposed (NFD, what some Mac and Windows input
methods and PDF copies give). They look the same and compare different, so every
text field stores NFC and every lookup is normalised the same way.
"""

import re
import unicodedata

from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 control characters other than tab, line feed and carriage return, and DEL: a NUL
# or a vertical tab pasted from another program is invisible on screen, and an XLSX
# or DOCX written later with it is a file Excel and Word refuse to open.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(value):
    """A string without the control characters no document can hold."""
    return CONTROL_CHARACTERS.sub("", value)


validate_no_controls = RegexValidator(
    CONTROL_CHARACTERS,
    _(
        "This text holds invisible control characters, usually brought by pasting from "
        "another program. Delete the pasted part and type it again."
    ),
    code="control_characters",
    inverse_match=True,
)


def refuse_controls(formfield):
    """
    Make a form's text input refuse control characters, NUL included, with one message
    (Django's own refuses only NUL, in English). Stored text is stripped of them too,
    but a form says so rather than change what was typed behind the user's back.
    """
    formfield.validators = [
        validator
        for validator in formfield.validators
        if not isinstance(validator, ProhibitNullCharactersValidator)
    ] + [validate_no_controls]
    return formfield


def nfc(value):
    """NFC-normalise and trim a string, without control characters; leave other values alone."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", strip_controls(value)).strip()
    return value


class NFCMixin:
    def to_python(self, value):
        return nfc(super().to_python(value))

    def get_prep_value(self, value):
        return nfc(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        value = nfc(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


class NFCCharField(NFCMixin, models.CharField):
    pass


class NFCTextField(NFCMixin, models.TextField):
    pass


validate_code = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]*$",
    _("Use capital letters without accents, digits, dots, hyphens or underscores, e.g. STP-VP."),
)


validate_document_code = RegexValidator(
    r"^[A-Z0-9][A-Z0-9./_-]*$",
    _("Use capital letters without accents, digits, slashes, dots or hyphens, e.g. 05-CT/TW."),
)


class CodeField(NFCCharField):
    """A short natural key such as a unit code: trimmed, upper case, no accents."""

    default_validators = [validate_code]
    default_error_messages = {"unique": _("This code is already in use; choose another.")}

    def to_python(self, value):
        value = super().to_python(value)
        return value.upper() if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value.upper() if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            value = value.upper()
            setattr(model_instance, self.attname, value)
        return value


def ascii_fold(value):
    """ "Đoàn Thị Thu Thủy" -> "Doan Thi Thu Thuy": for codes and accent-blind matching."""
    value = nfc(value).replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class DocumentCodeField(CodeField):
    """A document number or short code such as 05-CT/TW; unlike unit codes it may hold a slash."""

    default_validators = [validate_document_code]


def lowercase_first(label):
    """A label inside a sentence: "Học tập sáng thứ Hai" -> "học tập sáng thứ Hai" (not "thứ hai")."""
    return label[:1].lower() + label[1:]


def file_slug(*parts):
    """
    A file name from words: "Báo cáo", "Quý 4", 2026, "STP-VP" -> "bao-cao-quy-4-2026-stp-vp".
    Without diacritics (đ -> d), lower case, words joined by hyphens; empty parts left out.
    """
    words = []
    for part in parts:
        folded = ascii_fold(str(part)).lower()
        words += "".join(char if char.isascii() and char.isalnum() else " " for char in folded).split()
    return "-".join(words)


def unit_slug(unit):
    """A unit in a file name: its code, or "toan-bo" for everything the user sees."""
    return file_slug(unit.code) if unit is not None else "toan-bo"


NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def search_fold(*parts):
    """
    Text as search compares it: "Chi bộ Thanh tra", "Đảng bộ Sở Y tế" -> "chi bo thanh
    tra dang bo so y te". Without accents (đ -> d), lower case, anything but letters
    and digits a space; empty parts left out. Stored folded (`SearchTextField`) and
    applied to what is typed, so that "so hoa" finds "số hóa" on every database.
    """
    words = (NOT_A_WORD.sub(" ", ascii_fold(str(part)).lower()).strip() for part in parts if part)
    return " ".join(word for word in words if word)


def search_text(*parts):
    """
    What a row's search column holds: its folded parts, each word after a space
    (" chi bo thanh tra"), so that " tra" finds a word that starts with "tra". Vietnamese
    words are short: "y", "so", "te"; inside other words they match nearly every row
    ("an" in "thanh"), and a trigram index can find a word's start ("  y") but not a
    letter anywhere.
    """
    return " " + search_fold(*parts)


class SearchTextField(models.TextField):
    """
    A row's searchable text (`search_text`), folded from the fields its admin searches,
    which the model lists in `search_parts()`. Filled on every save and bulk_create
    (both call pre_save); bulk updates and renames of a unit refresh it themselves.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = search_text(*model_instance.search_parts())
        setattr(model_instance, self.attname, value)
        return value


def refresh_search_text(queryset, batch_size=2000):
    """
    Fold again the search text of these rows (`SearchTextField`), after a write that
    went around their save(): a unit renamed or moved changes what its sessions, and
    its sub-units, are found by. Returns the number of rows changed.
    """
    model = queryset.model
    changed, count = [], 0
    for obj in queryset.select_related(*model.search_related).iterator(chunk_size=batch_size):
        value = search_text(*obj.search_parts())
        if value != obj.search_text:
            obj.search_text = value
            changed.append(obj)
        if len(changed) == batch_size:
            count += model._base_manager.bulk_update(changed, ["search_text"])
            changed = []
    if changed:
        count += model._base_manager.bulk_update(changed, ["search_text"])
    return count
