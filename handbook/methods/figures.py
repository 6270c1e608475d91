"""Static figures drawn as SVG (escaped text): the ICS triangle and the tragtmodel."""

from __future__ import annotations

from html import escape

from handbook.methods.worksheets import FUNNEL, ICS_SIDES


def _lines(x: float, y: float, items: list[str], anchor: str, size: int = 13, step: int = 18, weight: str = "normal") -> str:
    return "".join(
        f'<text x="{x}" y="{y + i * step}" text-anchor="{anchor}" font-family="Source Sans Pro, Helvetica, Arial, sans-serif" font-size="{size}" font-weight="{weight}" fill="#1f2937">{escape(item)}</text>'
        for i, item in enumerate(items)
    )


def ics_triangle_svg() -> str:
    """The ICS triangle: the child's needs in the middle, the three sides with their dimensions."""
    (left_side, left_dims), (right_side, right_dims), (bottom_side, bottom_dims) = ICS_SIDES
    top, bottom_left, bottom_right = (530, 40), (330, 380), (730, 380)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1060 520" role="img" aria-label="{escape(ics_triangle_text(), quote=True)}" style="width:100%;max-width:1060px">',
        f'<polygon points="{top[0]},{top[1]} {bottom_left[0]},{bottom_left[1]} {bottom_right[0]},{bottom_right[1]}" fill="#eef3f8" stroke="#2f5d8a" stroke-width="4"/>',
        _lines(530, 255, ["Barnets behov"], "middle", 18, weight="bold"),
        _lines(530, 280, ["Sikre og fremme", "barnets trivsel"], "middle", 13),
        f'<text x="410" y="200" text-anchor="middle" font-family="Source Sans Pro, Helvetica, Arial, sans-serif" font-size="16" font-weight="bold" fill="#2f5d8a" transform="rotate(-59 410 200)">{escape(left_side)}</text>',
        f'<text x="650" y="200" text-anchor="middle" font-family="Source Sans Pro, Helvetica, Arial, sans-serif" font-size="16" font-weight="bold" fill="#2f5d8a" transform="rotate(59 650 200)">{escape(right_side)}</text>',
        _lines(530, 405, [bottom_side], "middle", 16, weight="bold"),
        _lines(315, 120, [name for name, _ in left_dims], "end"),
        _lines(745, 120, [name for name, _ in right_dims], "start"),
        _lines(530, 440, [name for name, _ in bottom_dims], "middle"),
        "</svg>",
    ]
    return "".join(parts)


def funnel_svg() -> str:
    """The tragtmodel: three phases that narrow the undersøgelse to what matters for this child."""
    widths = [780, 640, 500]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 300" role="img" aria-label="{escape(funnel_text(), quote=True)}" style="width:100%;max-width:800px">']
    colours = ["#dbe7f3", "#bcd3ea", "#9dbfe0"]
    for index, ((name, text), width, colour) in enumerate(zip(FUNNEL, widths, colours)):
        next_width = widths[index + 1] if index + 1 < len(widths) else 380
        y = 10 + index * 95
        x1, x2 = (800 - width) / 2, (800 + width) / 2
        n1, n2 = (800 - next_width) / 2, (800 + next_width) / 2
        parts.append(f'<polygon points="{x1},{y} {x2},{y} {n2},{y + 88} {n1},{y + 88}" fill="{colour}" stroke="#2f5d8a" stroke-width="2"/>')
        parts.append(_lines(400, y + 32, [f"{index + 1}. {name}"], "middle", 16, weight="bold"))
        parts.append(_lines(400, y + 54, [text], "middle", 12))
    parts.append("</svg>")
    return "".join(parts)


def ics_triangle_text() -> str:
    """The ICS triangle in words (the figure's text alternative): each side with its dimensions."""
    sides = "; ".join(f"{side}: {', '.join(name for name, _ in dimensions)}" for side, dimensions in ICS_SIDES)
    return f"ICS-trekanten med barnets behov – at sikre og fremme barnets trivsel – i midten og tre sider. {sides}."


def funnel_text() -> str:
    """The tragtmodel in words (the figure's text alternative): the phases in order."""
    phases = " ".join(f"{number}. {name}: {text}" for number, (name, text) in enumerate(FUNNEL, start=1))
    return f"Tragtmodellen i {len(FUNNEL)} trin, der bliver smallere nedad. {phases}"
