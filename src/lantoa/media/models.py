"""The resource library (kho tài nguyên số): assets, their renditions, tags, collections shared
down the org tree, and where each asset is used.

Other apps (content, channels) record their use of an asset through ``media.services`` as
:class:`AssetUsage` rows named by a label (``"content.item"``) and an id: the library cannot
import them, and needs to know whether an asset is in use or public."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.models import OrgUnit
from lantoa.orgs.scoping import ScopedQuerySet

from .choices import AssetKind, AssetStatus, Consent, Licence


class Tag(models.Model):
    """A subject tag shared by the library and the content desk ("chuyển đổi số", "AI")."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("address"), max_length=90, unique=True)
    name_folded = models.CharField(max_length=80, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class AssetQuerySet(ScopedQuerySet):
    scope_field = "unit__path"

    def live(self):
        return self.filter(deleted_at__isnull=True)


class Asset(models.Model):
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="assets", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AssetStatus.choices, default=AssetStatus.PROCESSING
    )
    title = models.CharField(_("title"), max_length=255)
    title_folded = models.CharField(max_length=255, db_index=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    taken_on = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    licence = models.CharField(_("licence"), max_length=16, choices=Licence.choices)
    rights = models.CharField(_("rights holder and terms"), max_length=500, blank=True)
    consent = models.CharField(
        _("consent of people shown"),
        max_length=16,
        choices=Consent.choices,
        default=Consent.NOT_NEEDED,
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="assets", verbose_name=_("tags"))
    file = models.FileField(_("file"), upload_to="library/%Y/%m/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, db_index=True)
    # The 64-bit perceptual hash of an image, and its four 16-bit bands: two images within
    # Hamming distance 3 share at least one band, so a near-duplicate search is four index
    # lookups and a check of the few candidates, at any library size.
    phash = models.CharField(max_length=16, blank=True)
    phash_band0 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_band1 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_band2 = models.IntegerField(null=True, blank=True, db_index=True)
    phash_band3 = models.IntegerField(null=True, blank=True, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration = models.FloatField(_("duration in seconds"), null=True, blank=True)
    metadata = models.JSONField(_("embedded metadata"), default=dict, blank=True)
    # Title, description, author, place and tags folded (``lantoa.core.text.fold``): what a
    # search typed without diacritics is matched against.
    search_folded = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self):
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == AssetStatus.READY

    @property
    def licence_withdrawn(self) -> bool:
        return self.licence == Licence.WITHDRAWN

    @property
    def shown_inline(self) -> bool:
        """Pictures, video and audio open in the browser; other files are downloaded."""
        return self.kind in (AssetKind.IMAGE, AssetKind.VIDEO, AssetKind.AUDIO)

    def get_additional_data(self) -> dict:
        """Stored with each audit entry so the log can be scoped to a subtree."""
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class Rendition(models.Model):
    """A derived file: ``thumb`` and ``web`` sizes of an image, the ``poster`` frame of a video."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=16)
    file = models.FileField(upload_to="library/renditions/%Y/%m/", max_length=255)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "spec"], name="media_rendition_unique_spec")
        ]

    def __str__(self):
        return f"{self.asset} {self.spec}"


class Collection(models.Model):
    """A set of assets a unit keeps; ``shared_down`` shares it with every unit below."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="collections", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    shared_down = models.BooleanField(_("shared with the units below"), default=False)
    assets = models.ManyToManyField(Asset, blank=True, related_name="collections")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self):
        return self.title

    def get_additional_data(self) -> dict:
        return {"unit_path": self.unit.path, "unit": self.unit.name}


class AssetUsage(models.Model):
    """Where an asset is used: ``owner`` is a label such as ``"content.item"`` and ``owner_id``
    the row's id. ``public`` follows the owner: true while the owner is published."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="usages")
    owner = models.CharField(max_length=40)
    owner_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=255, blank=True)
    public = models.BooleanField(default=False)
    # The owner's unit (an item's commune), given by the app that records the usage: whose
    # public pages show the asset, so they are rebuilt when its renditions become ready.
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "owner", "owner_id"], name="media_usage_unique_owner"
            )
        ]
        indexes = [models.Index(fields=["owner", "owner_id"])]

    def __str__(self):
        return f"{self.asset} → {self.owner}#{self.owner_id}"

    def get_additional_data(self) -> dict:
        unit = self.asset.unit
        return {"unit_path": unit.path, "unit": unit.name}
