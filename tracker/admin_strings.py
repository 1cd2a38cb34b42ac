"""
Admin strings that Django's Vietnamese catalogue does not translate, and those of
django-simple-history and django-import-export, which have no Vietnamese at all.

Listed here so that makemessages keeps them in locale/vi; the project's catalogue
takes precedence over Django's. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MISSING_IN_DJANGO_VI = [
    gettext_noop("Add link"),
    gettext_noop("Added:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Change or view list link"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Error:"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Hide counts"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Model name"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Set password"),
    gettext_noop("Show counts"),
    gettext_noop("Sidebar"),
    gettext_noop("Skip to main content"),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for this user."),
    gettext_noop("Toggle navigation"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("View selected %(model)s"),
    # Django's catalogue has these two only as separate singular entries, so the
    # change form's plural lookup finds neither and shows the English.
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    gettext_noop("Null characters are not allowed."),
    # The user form's help texts and password check, new in recent Django versions.
    gettext_noop("Password-based authentication"),
    gettext_noop("Reset password"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still "
        "be able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
]

# Translated by Django, but unnaturally: "Thêm vào …", "Hoạt động: … Đi đến" (which
# clashes with the campaign's "hoạt động"), "Bởi …" for a filter, "0 của 100 được chọn".
POOR_IN_DJANGO_VI = [
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Add"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Change %s"),
    gettext_noop("Change"),
    gettext_noop("0 of %(cnt)s selected"),
    ngettext_lazy("All %(total_count)s selected", "All %(total_count)s selected", 1),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    gettext_noop("Click here to select the objects across all pages"),
    gettext_noop("Action:"),
    gettext_noop("Go"),
    gettext_noop("Run the selected action"),
    gettext_noop("Action"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("History"),
    gettext_noop("Models in the %(name)s application"),
]

MISSING_IN_SIMPLE_HISTORY_VI = [
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Change History"),
    gettext_noop("Change reason"),
    gettext_noop("Changed by"),
    gettext_noop("Changes"),
    gettext_noop("Comment"),
    gettext_noop("Date/time"),
    gettext_noop("Object"),
    gettext_noop("Revert"),
    gettext_noop("Change history: %s"),
    gettext_noop("Changed"),
    gettext_noop("Created"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("Deleted"),
    gettext_noop("Revert %s"),
    gettext_noop("View %s"),
    gettext_noop("View history: %s"),
    gettext_noop("You may edit it again below"),
]

MISSING_IN_IMPORT_EXPORT_VI = [
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, click 'Confirm import'"
    ),
    gettext_noop("Confirm import"),
    gettext_noop("Delete"),
    gettext_noop("Errors"),
    gettext_noop("Export"),
    gettext_noop("Import"),
    gettext_noop("Line number"),
    gettext_noop("New"),
    gettext_noop("Non field specific"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload it using the form above."
    ),
    gettext_noop("Preview"),
    gettext_noop("Row"),
    gettext_noop("Select all"),
    gettext_noop("Skipped"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop("Submit"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("Update"),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    gettext_noop("File to import"),
    gettext_noop("Format"),
    gettext_noop("Resource"),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop("No valid data to import. Ensure your file has the correct headers or data for import."),
    gettext_noop("Value could not be parsed."),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", 1),
]
