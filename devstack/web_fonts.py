"""Makes the pages' font from the one the PDFs embed (chalicelib/pdf/fonts/): Vazirmatn Regular and Bold as WOFF2,
subset to what the pages write (Persian and Arabic letters and digits, the presentation forms browsers shape with,
Latin, punctuation, ZWNJ and the bidi marks), inside one stylesheet as data: URLs. Text travels through API Gateway
and a function URL as it is, where binary answers need per-type configuration on both; the stylesheet is cached
for a year under its version (FONTS_VERSION in chalicelib/web/pages.py). `python -m devstack.web_fonts` writes
chalicelib/web/assets/fonts.css; it is committed, so only regenerating it needs fontTools and brotli."""
from __future__ import annotations

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "chalicelib", "pdf", "fonts")
TARGET = os.path.join(ROOT, "chalicelib", "web", "assets")
UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x600, 0x700), *range(0x200C, 0x2010),
            *range(0x2010, 0x2030), *range(0x2066, 0x206A), 0x066B, 0x066C, *range(0xFB50, 0xFE00),
            *range(0xFE70, 0xFF00)]


def main() -> None:
    import base64
    import io

    from fontTools import subset

    faces = []
    for weight, css_weight in (("Regular", 400), ("Bold", 700)):
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]  # the joining forms and ligatures are the point
        font = subset.load_font(os.path.join(SOURCE, f"Vazirmatn-{weight}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=UNICODES)
        subsetter.subset(font)
        packed = io.BytesIO()
        subset.save_font(font, packed, options)
        data = base64.b64encode(packed.getvalue()).decode()
        print(f"Vazirmatn {weight}: {len(packed.getvalue()):,} bytes of WOFF2")
        faces.append(f'@font-face {{ font-family: Vazirmatn; font-weight: {css_weight}; font-style: normal; '
                     f'font-display: swap;\n  src: url("data:font/woff2;base64,{data}") format("woff2"); }}')
    path = os.path.join(TARGET, "fonts.css")
    with open(path, "w", encoding="utf-8") as out:
        out.write("/* Vazirmatn, the statements' font, for the pages (devstack/web_fonts.py makes this file). */\n")
        out.write("\n".join(faces) + "\n")
    print(f"{path}: {os.path.getsize(path):,} bytes")


if __name__ == "__main__":
    main()
