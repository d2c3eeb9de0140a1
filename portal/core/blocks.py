"""StreamField blocks shared by the site's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "openquote"
        template = "core/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)
    alt = blocks.CharBlock(
        label=_("Alternative text"), required=False,
        help_text=_("What the image shows, for readers who cannot see it."),
    )

    class Meta:
        icon = "image"
        template = "core/blocks/image.html"


class TimelineEntryBlock(blocks.StructBlock):
    year = blocks.IntegerBlock(label=_("Year"), min_value=1900, max_value=2200)
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(label=_("Text"), required=False)


class OrganizationBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"))
    acronym = blocks.CharBlock(label=_("Acronym"), required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)
    url = blocks.URLBlock(label=_("Website"), required=False)


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), max_length=20)
    label = blocks.CharBlock(label=_("What it counts"))


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", template="core/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"],
    )
    image = ImageBlock(label=_("Image"))
    quote = QuoteBlock(label=_("Quotation"))
    timeline = blocks.ListBlock(
        TimelineEntryBlock(), label=_("Timeline"), template="core/blocks/timeline.html"
    )
    organizations = blocks.ListBlock(
        OrganizationBlock(), label=_("Organizations"), template="core/blocks/organizations.html"
    )
    figures = blocks.ListBlock(
        FigureBlock(), label=_("Key figures"), template="core/blocks/figures.html"
    )
