"""publications in the public API."""
from ninja import Router

router = Router(tags=["publications"])
