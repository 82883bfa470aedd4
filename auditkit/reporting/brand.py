"""An advisor's brand: name, logo, colours, fonts, contact line and footer, from brand.yaml.

Every file a brand names is resolved relative to the brand file and must stay inside its
folder: the PDF renderer reads nothing else. Colours, files and fonts are checked up front
with located errors, so a broken brand fails before any rendering.

    name: Harbour Advisory
    logo: logo.svg                 # SVG or PNG
    colors: {primary: "#12355b", accent: "#d1603d"}
    fonts:
      - {file: fonts/HarbourSerif-Regular.woff2}               # TTF, OTF or WOFF2
      - {file: fonts/HarbourSerif-Bold.ttf, weight: 700}
    contact: "Harbour Advisory · advice@harbour.example · +44 20 7946 0000"
    footer: "Confidential: prepared for the named business only."
    footer::de: "Vertraulich: nur für das genannte Unternehmen erstellt."

The contact line and the footer may be given per language (``footer::de``), as a rubric's texts
are: a report in that language uses them, any other the plain key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from auditkit.errors import InputError, Problem, fill
from auditkit.fields import Fields
from auditkit.i18n import _
from auditkit.yamlsource import load_yaml

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
IN_LANGUAGE = re.compile(r"^(contact|footer)::([a-z]{2,3})$")  # footer::de
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
FONT_TYPES = {".ttf": "truetype", ".otf": "opentype", ".woff2": "woff2", ".woff": "woff"}


@dataclass(frozen=True)
class BrandFont:
    file: Path
    family: str
    weight: int = 400
    style: str = "normal"

    @property
    def format(self) -> str:
        return FONT_TYPES[self.file.suffix.lower()]


@dataclass(frozen=True)
class Brand:
    name: str = "auditkit"
    primary: str = "#1f3a5f"
    accent: str = "#c8553d"
    logo: Path | None = None
    fonts: tuple[BrandFont, ...] = ()
    contact: str = ""
    footer: str = ""
    folder: Path | None = None  # the brand's folder: the only place its files come from
    source: Path | None = None
    files: tuple[Path, ...] = field(default=())
    page_size: str = "A4"  # A4 | Letter: many advisors' clients print on Letter
    # (key, language, text) for the texts given per language ("footer::de")
    translations: tuple[tuple[str, str, str], ...] = ()

    def text_in(self, key: str, language: str) -> str:
        """``contact`` or ``footer`` in ``language`` ("de-AT" takes "de") where the brand
        gives it, else as given without a language."""
        from auditkit.i18n import normalize

        wanted = normalize(language)
        for name, code, text in self.translations:
            if name == key and code == wanted:
                return text
        return getattr(self, key)

    @property
    def font_family(self) -> str | None:
        return self.fonts[0].family if self.fonts else None

    @property
    def page_height(self) -> str:
        return PAGE_HEIGHTS[self.page_size]


PAGE_HEIGHTS = {"A4": "297mm", "Letter": "279.4mm"}


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #RRGGBB or #RGB colour."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = []
    for i in (0, 2, 4):
        c = int(digits[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def contrast_warnings(brand: Brand) -> list[str]:
    """The brand's colour pairs that fail WCAG 2.1 AA where the report uses them: the primary
    colour for headings and links on white, white text on the primary cover, and the accent
    for bars, badges and the focus ring (non-text, 3:1)."""
    checks = [
        (brand.primary, "#ffffff", 4.5, "the primary colour as text on white (headings, links)"),
        ("#ffffff", brand.primary, 4.5, "white text on the primary colour (the cover)"),
        (brand.accent, "#ffffff", 3.0, "the accent colour on white (bars, badges, focus ring)"),
    ]
    warnings = []
    for foreground, background, needed, where in checks:
        ratio = contrast(foreground, background)
        if ratio < needed:
            warnings.append(
                f"brand colours fail WCAG 2.1 AA for {where}: contrast {ratio:.2f}:1, needs "
                f"{needed:g}:1 — choose a darker colour in the brand's 'colors'"
            )
    return warnings


def _font_family(path: Path) -> str:
    """The font's family name from its name table; raises if the file is not a usable font."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        names = font["name"]
        family = names.getDebugName(16) or names.getDebugName(1)
        font.getGlyphOrder()
    if not family:
        raise ValueError(_("the font has no family name"))
    return family


def _looks_like(image: Path) -> bool:
    """Whether an image's first bytes are what its name says (a PNG signature, an SVG root)."""
    head = image.read_bytes()[:4096]
    if image.suffix.lower() == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE")) and b"<svg" in head


def _inside(folder: Path, candidate: Path) -> bool:
    return candidate.resolve().is_relative_to(folder.resolve())


def load_brand(path: Path | str) -> Brand:
    document = load_yaml(path)
    folder = Path(path).resolve().parent
    problems: list[Problem] = []
    top = Fields(document, (), problems, _("the brand"))
    keys = ("name", "logo", "colors", "fonts", "contact", "footer", "page_size")
    given = [key for key in top.data if isinstance(key, str) and IN_LANGUAGE.match(key)]
    top.check_keys((*keys, *given), required=("name",))
    for key in ("logo", "colors", "fonts", "contact", "footer", "page_size"):
        if key in top.data and top.data[key] is None:
            top.problem(
                (key,),
                fill(_("{key} is given but empty"), key=repr(key)),
                fix=fill(
                    _(
                        "give {key} a value, or remove the line (text starting with '#' must be "
                        "quoted, or YAML reads it as a comment)"
                    ),
                    key=repr(key),
                ),
            )
    page_size = top.choice("page_size", tuple(PAGE_HEIGHTS), "A4") or "A4"
    files: list[Path] = [Path(path).resolve()]

    def file_at(key_path: tuple, relative: str, kinds: dict[str, str], what: str) -> Path | None:
        candidate = folder / relative
        if not _inside(folder, candidate):
            top.problem(
                key_path,
                _("the logo must be inside the brand's folder")
                if what == "logo"
                else _("the font must be inside the brand's folder"),
                found=relative,
                fix=fill(_("copy it into {folder}"), folder=folder),
            )
            return None
        if not candidate.is_file():
            top.problem(
                key_path,
                _("the logo file does not exist")
                if what == "logo"
                else _("the font file does not exist"),
                found=str(candidate),
                fix=_("check the path, relative to brand.yaml"),
            )
            return None
        if candidate.suffix.lower() not in kinds:
            top.problem(
                key_path,
                _("the logo has an unsupported type")
                if what == "logo"
                else _("the font has an unsupported type"),
                expected=", ".join(kinds),
                found=candidate.suffix or _("(none)"),
            )
            return None
        files.append(candidate.resolve())
        return candidate.resolve()

    logo = None
    if top.get("logo", str, None):
        logo = file_at(("logo",), top.data["logo"], LOGO_TYPES, "logo")
        if logo is not None and not _looks_like(logo):
            kind = logo.suffix.lstrip(".").upper()
            top.problem(
                ("logo",),
                fill(_("the logo is not a valid {kind} image"), kind=kind),
                found=fill(
                    _("{file} does not start as a {kind} file does"), file=logo.name, kind=kind
                ),
                fix=_("export the logo again as PNG or SVG"),
            )
            logo = None
    colours = {"primary": Brand.primary, "accent": Brand.accent}
    if "colors" in top.data:
        palette = Fields(document, ("colors",), problems, "'colors'")
        palette.check_keys(("primary", "accent"))
        for key in ("primary", "accent"):
            value = palette.get(key, str, None)
            if value is None and key in palette.data:
                # 'primary: #2e5e3e' unquoted: YAML reads '#…' as a comment, the value as empty.
                palette.problem(
                    (key,),
                    fill(_("the {key} colour is empty"), key=key),
                    expected=_("a hex colour in quotes: #RRGGBB or #RGB"),
                    fix=fill(
                        _("quote hex colours: {key}: '#2e5e3e' (unquoted, '#' starts a comment)"),
                        key=key,
                    ),
                )
            if value is None:
                continue
            if not HEX_COLOUR.match(value):
                palette.problem(
                    (key,),
                    fill(_("{key} colour is not a hex colour"), key=key),
                    expected=_('#RRGGBB or #RGB, quoted: "#12355b"'),
                    found=repr(value),
                )
            else:
                colours[key] = value.lower()
    fonts = []
    for index in range(len(top.get("fonts", list, []) or [])):
        entry = Fields(
            document, ("fonts", index), problems, fill(_("font {number}"), number=index + 1)
        )
        if not entry.ok:
            continue
        entry.check_keys(("file", "family", "weight", "style"), required=("file",))
        relative = entry.get("file", str, None)
        weight = entry.integer("weight", low=100, high=900) or 400
        style = entry.choice("style", ("normal", "italic"), "normal") or "normal"
        font_file = (
            file_at(("fonts", index, "file"), relative, FONT_TYPES, "font") if relative else None
        )
        if font_file is None:
            continue
        try:
            family = entry.get("family", str, None) or _font_family(font_file)
        except Exception as error:  # fontTools raises many kinds of errors for a broken file
            entry.problem(
                ("file",),
                _("the font fails to load"),
                found=f"{relative}: {error}",
                fix=_("use a TTF, OTF or WOFF2 font file"),
            )
            continue
        fonts.append(BrandFont(font_file, family, weight, style))
    # Read the text fields before deciding: their problems belong in the same report.
    name, contact, footer = top.text("name"), top.text("contact"), top.text("footer")
    translations = tuple(
        (found.group(1), found.group(2), top.text(key))
        for key in given
        if (found := IN_LANGUAGE.match(key))
    )
    if problems:
        raise InputError(problems)
    return Brand(
        name=name,
        primary=colours["primary"],
        accent=colours["accent"],
        logo=logo,
        fonts=tuple(fonts),
        contact=contact,
        footer=footer,
        folder=folder,
        source=Path(path).resolve(),
        files=tuple(files),
        page_size=page_size,
        translations=translations,
    )
