from django.conf import settings


def map_config() -> dict:
    """What every map needs from the settings: an optional background tile server (none by default)."""
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}
