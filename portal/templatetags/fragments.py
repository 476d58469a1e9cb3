"""``{% fragment key %}...{% endfragment %}``: the part of a page that is the same for every
visitor (an empty form in one language, at one configuration stamp) is rendered once per
process and kept in the local ``fragments`` cache. An empty key renders it every time (a form
with the visitor's own answers or errors)."""

from __future__ import annotations

from django import template
from django.core.cache import caches
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, key: FilterExpression) -> None:
        self.nodelist = nodelist
        self.key = key

    def render(self, context: Context) -> SafeString:
        key = self.key.resolve(context)
        if not key:
            return self.nodelist.render(context)
        fragments = caches["fragments"]
        html: str | None = fragments.get(key)
        if html is None:
            html = str(self.nodelist.render(context))
            fragments.set(key, html, None)
        return mark_safe(html)  # noqa: S308  # rendered by this template, autoescaped there


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment key %} takes one argument")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]))
