"""A tiny server-rendered line chart (SVG points) for indicator values: no script, no style attribute."""

from decimal import Decimal

WIDTH, HEIGHT, PAD = 300, 80, 6


def sparkline(values, target=None):
    """Return {"points": "x,y x,y", "target_y": y or None, "width", "height"} or None."""
    values = [Decimal(v) for v in values]
    if not values:
        return None
    scale_values = values + ([Decimal(target)] if target is not None else [])
    low, high = min(scale_values), max(scale_values)
    span = high - low or Decimal(1)

    def y(v):
        return round(float(HEIGHT - PAD - (Decimal(v) - low) / span * (HEIGHT - 2 * PAD)), 1)

    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = " ".join(f"{round(PAD + i * step, 1)},{y(v)}" for i, v in enumerate(values))
    return {
        "points": points,
        "target_y": y(target) if target is not None else None,
        "width": WIDTH,
        "height": HEIGHT,
        "last_x": round(PAD + (len(values) - 1) * step, 1),
        "last_y": y(values[-1]),
    }
