from tracker.periods import Quarter


def periods(request):
    """The current quarter, for the menu's links to this quarter's and this year's reports."""
    return {"current_quarter": Quarter.current()}
