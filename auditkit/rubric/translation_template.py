"""The translation file of one rubric, overlay, crosswalk or the scales, to fill in
(``auditkit rubric translation FILE --lang LANG``)."""

from __future__ import annotations

from pathlib import Path

from auditkit.rubric.registry import data_dir
from auditkit.rubric.translate import RUBRIC_LAYOUT, SCALES_ID, SCALES_LAYOUT, texts_of
from auditkit.translation import normalise_language, translation_file, translation_home
from auditkit.translation_read import read_translation
from auditkit.translation_writer import render_translation
from auditkit.yamlsource import load_yaml


def translation_template(file: Path | str, lang: str) -> tuple[str, Path]:
    """The translation file of one rubric or overlay file (or ``scales``) for ``lang``, to fill
    in: its current translations kept, stale ones marked with the English as it reads now,
    missing ones empty with the English above them. Returns the text and where it belongs."""
    from auditkit.rubric.resolve import load_file_strict

    lang = normalise_language(lang)
    document = None if str(file) == SCALES_ID else load_yaml(Path(file))
    if document is not None and isinstance(document.data, dict) and "crosswalk" in document.data:
        from auditkit.obligations.parse import load_crosswalk
        from auditkit.obligations.translate import CROSSWALK_LAYOUT, crosswalk_texts

        wanted = crosswalk_texts(load_crosswalk(crosswalk=file))
        layout = CROSSWALK_LAYOUT
        home, source_id = translation_home(file)
        name = Path(file).name
        check = f"auditkit rules --validate --lang {lang}"
    elif str(file) == SCALES_ID:
        rubric = load_file_strict(data_dir("rubrics") / "human-centred-automation.yaml")
        wanted = [w for w in texts_of(rubric) if w.key[0] == "scales"]
        layout, home, source_id = SCALES_LAYOUT, wanted[0].home, SCALES_ID
        name = "the answer scales"
        check = f"auditkit rubric validate --lang {lang} RUBRIC-FILE"
    else:
        rubric = load_file_strict(Path(file))
        source = str(Path(file).resolve())
        wanted = [
            w
            for w in texts_of(rubric)
            if w.key[0] != "scales" and str(Path(w.file).resolve()) == source
        ]
        layout = RUBRIC_LAYOUT
        home, source_id = translation_home(file)
        name = Path(file).name
        check = f"auditkit rubric validate --lang {lang} {file}"
    target = translation_file(home, lang)
    existing = read_translation(target, lang, source_id, layout) if target.is_file() else None
    header = (
        f"The {lang!r} translation of {name}. Write each text in your language in place of\n"
        "the empty \"\"; the English is in the comment above it. Leave 'from:' as it is: it\n"
        "says which English each text was made from.\n"
        f"Check with: {check}\nGuide: docs/translating.md"
    )
    return render_translation(wanted, layout, lang, source_id, existing, header=header), target
