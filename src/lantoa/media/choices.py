from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    DOCUMENT = "document", _("Document")
    SOURCE = "source", _("Design source file")


class AssetStatus(models.TextChoices):
    """Renditions are made in the background: an asset is usable once they are ready."""

    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be processed")


class Consent(models.TextChoices):
    NOT_NEEDED = "not_needed", _("No identifiable people shown")
    OBTAINED = "obtained", _("Consent obtained from the people shown")
    MISSING = "missing", _("Consent not obtained")


class Licence(models.TextChoices):
    OWN = "own", _("Produced by the unit")
    GOVERNMENT = "government", _("State agency material, free to reuse")
    CC_BY = "cc_by", _("Creative Commons Attribution")
    CC_BY_SA = "cc_by_sa", _("Creative Commons Attribution-ShareAlike")
    PERMISSION = "permission", _("Used with the author's permission")
    WITHDRAWN = "withdrawn", _("Licence withdrawn: do not use")
