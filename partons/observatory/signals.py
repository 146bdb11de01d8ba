"""Signals of the observatory: other apps (the access indicators) listen to changes of facilities."""
from django.dispatch import Signal

# Sent after every recorded change of a facility (creation, closure, move…): facility, changes.
facility_changed = Signal()
