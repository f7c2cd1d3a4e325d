"""Reads a .bib file as a reference manager would: bibtexparser splits it
into entries and fields, pylatexenc turns each field's LaTeX back into text.
Prints {id: {field: text}} as JSON; authors as a list of names.

pylatexenc's table lacks `\\textbraceleft` and `\\textbraceright` and maps
`\\textasciicircum` to U+02C6; they are taught here as LaTeX2e defines them.
"""
import json
import sys

import bibtexparser
from bibtexparser.bparser import BibTexParser
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

db = get_default_latex_context_db()
db.add_context_category('latex2e-text-commands', prepend=True, macros=[
    MacroTextSpec('textbraceleft', '{'),
    MacroTextSpec('textbraceright', '}'),
    MacroTextSpec('textasciicircum', '^'),
    MacroTextSpec('textasciitilde', '~'),
])
latex = LatexNodes2Text(latex_context=db, math_mode='verbatim', strict_latex_spaces=True)

parser = BibTexParser(common_strings=False, interpolate_strings=False)
bib = bibtexparser.loads(open(sys.argv[1], encoding='utf-8').read(), parser)


def field(key, value):
    if key in ('ENTRYTYPE', 'ID', 'url'):
        return value
    if key == 'author':
        # Each name is braced whole: `{A B} and {C}`.
        return [latex.latex_to_text(a) for a in split_names(value)]
    return latex.latex_to_text(value)


def split_names(value):
    """`{A} and {B and C}` -> ['A', 'B and C'], by brace depth."""
    names, depth, cur = [], 0, ''
    for c in value:
        if c == '{':
            depth += 1
            if depth == 1:
                continue
        elif c == '}':
            depth -= 1
            if depth == 0:
                names.append(cur)
                cur = ''
                continue
        if depth >= 1:
            cur += c
    return names


print(json.dumps({e['ID']: {k: field(k, v) for k, v in e.items()} for e in bib.entries}))
