import segno


def qr_svg_data_uri(content: str, scale: int = 4) -> str:
    """A QR code as an SVG data URI (allowed by our CSP's img-src data:)."""
    return segno.make(content, error="m").svg_data_uri(scale=scale, dark="#000000")
