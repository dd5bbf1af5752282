"""The desk's forms: the editor, the review, the schedule, campaigns and the review rule."""

from django import forms
from django.forms import Media
from django.utils.translation import gettext_lazy as _

from lantoa.plans.widgets import TaskPicker

from .choices import ContentKind, ReviewDecision


class ProseEditor(forms.Textarea):
    """django-prose-editor's editor (ProseMirror), served by Lantoa. Started by our own module
    (``content/prose-editor.js``), which imports the editor's bundle by a relative address:
    the package's import map is an inline script, which the site's CSP (script-src 'self')
    refuses. Without JavaScript the textarea holds the HTML as is."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 14, "data-lantoa-prose": "1", **(attrs or {})})

    @property
    def media(self):
        return Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "content/desk.css",
                ]
            },
            js=[
                forms.Script("content/prose-editor.js", type="module"),
                forms.Script("content/desk.js", defer=True),
            ],
        )

    def use_required_attribute(self, initial):
        return False


class AssetPicker(forms.NumberInput):
    """The cover image: the asset's number, with a picker of the library's images beside it."""

    template_name = "content/widgets/asset_picker.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        context["widget"]["preview"] = (
            f"/library/{int(value)}/r/thumb/" if str(value or "").isdigit() else ""
        )
        return context


class ItemForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of content"), choices=ContentKind.choices)
    title = forms.CharField(label=_("Headline"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(label=_("Text"), required=False, max_length=400_000, widget=ProseEditor)
    document_number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=64,
        help_text=_("For a directive document: its number, e.g. 12/CT-UBND."),
    )
    document_date = forms.DateField(
        label=_("Document date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tasks = forms.ModelMultipleChoiceField(
        label=_("For the plan tasks"), queryset=None, required=False, widget=TaskPicker
    )
    campaigns = forms.ModelMultipleChoiceField(
        label=_("Campaigns"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. chuyển đổi số, AI."),
    )
    cover = forms.IntegerField(
        label=_("Cover image"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        widget=AssetPicker,
        help_text=_("Choose an image from the library."),
    )
    # The version the text was edited from: a save from an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self,
        *args,
        units=None,
        tasks=None,
        task_groups=None,
        task_search_url="",
        asset_search_url="",
        campaigns=None,
        editing=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if editing:
            del self.fields["unit"]
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].label_from_instance = lambda task: f"{task.plan} · {task.text}"
        self.fields["tasks"].widget.groups = task_groups or []
        self.fields["tasks"].widget.search_url = task_search_url
        self.fields["campaigns"].queryset = campaigns
        self.fields["cover"].widget.search_url = asset_search_url

    def clean_tags(self):
        names = [" ".join(t.split()) for t in self.cleaned_data["tags"].split(",")]
        return [name for name in names if name]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ReviewDecision.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(forms.Form):
    go_live_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    expire_at = forms.DateTimeField(
        label=_("Expire at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this item withdrawn?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CampaignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    title = forms.CharField(label=_("Headline"), max_length=255)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DeskSettingsForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    review_steps = forms.TypedChoiceField(
        label=_("Review steps"),
        coerce=int,
        choices=[(1, _("One review step")), (2, _("Two review steps"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
