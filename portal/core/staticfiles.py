"""The portal's own stylesheets, minified when collected for production (issue 16: the HTML and the CSS
of a page's first screen fit in the first round trip of a slow link, 14 KB compressed).

`minify_css` only drops what cannot change a rule: comments, runs of whitespace (one space kept, so a
descendant combinator such as `.organizations :is(h2, h3)` keeps its meaning) and the spaces around
`{`, `}` and `;`. No value holds a string with two spaces or with those characters (checked by the
test on the stylesheet itself). WhiteNoise then hashes and compresses the minified file as before.
"""

import re

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

OWN_STYLESHEETS = re.compile(r"^css/[^/]+\.css$")  # static/css/: not the admin's nor a library's


def minify_css(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ?([{};]) ?", r"\1", text)
    return text.replace(";}", "}").strip() + "\n"


class MinifiedCompressedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, the portal's stylesheets minified first."""

    def post_process(self, paths, dry_run=False, **options):
        # `paths` maps each file to the storage it was found in, which the hashing reads from: the
        # minified copy, written here, takes the source's place.
        if not dry_run:
            for path in list(paths):
                if OWN_STYLESHEETS.match(path):
                    source_storage, source_path = paths[path]
                    with source_storage.open(source_path) as stream:
                        text = stream.read().decode("utf-8")
                    if self.exists(path):
                        self.delete(path)
                    self.save(path, ContentFile(minify_css(text).encode("utf-8")))
                    paths[path] = (self, path)
        yield from super().post_process(paths, dry_run, **options)
