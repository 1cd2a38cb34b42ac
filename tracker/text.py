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
