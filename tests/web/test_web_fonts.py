"""The pages are drawn in the statements' own font (served from /assets/fonts.css), not in a fallback."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("where,path", [("api", "/"), ("api", "/staff"), ("inquiry", "/")])
def test_pages_use_vazirmatn(new_page, web_stack, where, path):
    page = new_page(width=1280)
    page.goto(getattr(web_stack, where) + path)
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Vazirmatn', 'سابقه')")
    loaded = page.evaluate("[...document.fonts].filter(f => f.family.includes('Vazirmatn') && f.status === 'loaded')"
                           ".map(f => f.weight)")
    assert "400" in loaded
