"""The sections of a newsletter issue. Each renders on the issue's web page (its `template`) and in the
e-mail (`templates/newsletter/email/issue.html` and `issue.txt` walk the same blocks)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class PageItemBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Page"))
    summary = blocks.TextBlock(
        label=_("Summary"), required=False,
        help_text=_("A sentence or two; the page's own introduction or summary is used when empty."),
    )


class PagesSectionBlock(blocks.StructBlock):
    """Pages of the site (articles, events, resources…), each with a link and a short summary."""

    heading = blocks.CharBlock(label=_("Heading"), required=False,
                               help_text=_("Leave empty for the section's usual heading."))
    intro = blocks.RichTextBlock(label=_("Introduction"), required=False, features=RICH_TEXT_FEATURES)
    items = blocks.ListBlock(PageItemBlock(), label=_("Pages"))

    class Meta:
        template = "newsletter/blocks/pages_section.html"


class InterviewBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    person = blocks.CharBlock(label=_("Who is interviewed"), help_text=_("Name and organization."))
    text = blocks.RichTextBlock(label=_("Interview"), features=RICH_TEXT_FEATURES)
    page = blocks.PageChooserBlock(label=_("Full interview on the site"), required=False)

    class Meta:
        icon = "openquote"
        template = "newsletter/blocks/interview.html"


class TextSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        template = "newsletter/blocks/text_section.html"


class InventoryFiguresBlock(blocks.StructBlock):
    """The inventory's key figures, as the overview shows them, taken when the issue is sent (the web
    page keeps showing the figures that went out)."""

    heading = blocks.CharBlock(label=_("Heading"), required=False,
                               help_text=_("Leave empty for “The inventory in figures”."))
    comment = blocks.TextBlock(label=_("Comment"), required=False)

    class Meta:
        icon = "table"
        template = "newsletter/blocks/inventory_figures.html"


class IssueSectionsBlock(blocks.StreamBlock):
    articles = PagesSectionBlock(label=_("Articles"), icon="doc-full-inverse")
    interview = InterviewBlock(label=_("Interview"))
    events = PagesSectionBlock(label=_("Events"), icon="date")
    resources = PagesSectionBlock(label=_("New resources"), icon="folder-open-inverse")
    text = TextSectionBlock(label=_("Text section"))
    inventory_figures = InventoryFiguresBlock(label=_("Latest inventory figures"))


DEFAULT_HEADINGS = {
    "articles": _("Articles"),
    "events": _("Events"),
    "resources": _("New resources"),
    "inventory_figures": _("The inventory in figures"),
}
