"""LaTeX math as readable Unicode text: ``\\alpha_{i} \\leq \\sqrt{d}`` -> ``α_i ≤ √(d)``.

arXiv's HTML (LaTeXML) carries each formula's source in the ``alttext`` attribute of its
``<math>`` element. pylatexenc's `LatexNodes2Text` turns it into text (Greek letters, operators,
fractions as ``a/b``, matrices as ``[ 1 2; 3 4 ]``). It never reads files: ``\\input`` and
``\\include`` are dropped unless an input directory is set, and we never set one. What it cannot
turn into text (a formula nested too deeply for its recursive parser, a parse error) is shown
as the raw LaTeX in backticks.
"""

from __future__ import annotations

from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

from tui.text import clean_inline

# A formula longer than this is shown raw: it is a table or a figure set in math, not a formula
# someone reads as text, and converting it would cost time for nothing.
MAX_FORMULA = 4_000

_converter = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


@lru_cache(maxsize=4096)
def latex_to_unicode(latex: str) -> str:
    """The formula as one line of Unicode text, or the LaTeX in backticks when it cannot be
    converted. Cached: papers repeat the same symbols hundreds of times."""
    source = clean_inline(latex, MAX_FORMULA + 1)
    if not source:
        return ""
    if len(source) > MAX_FORMULA:
        return _raw(source)
    try:
        text = _converter.latex_to_text(source)
    except (RecursionError, ValueError, IndexError, KeyError, TypeError):
        return _raw(source)
    except Exception:  # pylatexenc raises its own parse errors; any of them means: show raw
        return _raw(source)
    text = clean_inline(text, MAX_FORMULA)
    return text or _raw(source)


def _raw(source: str) -> str:
    return "`" + source.replace("`", "'") + "`"
