"""Formats each CSL-JSON item alone with citeproc-py and a CSL style file;
prints {id: bibliography entry} as JSON (empty where the style leaves the
item out of its bibliography)."""
import copy
import json
import sys
import warnings

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

warnings.simplefilter('ignore')  # fields citeproc-py does not know (license)
items = json.load(open(sys.argv[1], encoding='utf-8'))
style = CitationStylesStyle(sys.argv[2], validate=False)
out = {}
for item in items:
    bib = CitationStylesBibliography(style, CiteProcJSON([copy.deepcopy(item)]), formatter.plain)
    bib.register(Citation([CitationItem(item['id'])]))
    out[item['id']] = ''.join(map(str, bib.bibliography()[:1]))
print(json.dumps(out))
