"""``python -m docsgen``: write the generated pages, figures and nav into ``docs/``.

See ``docsgen.generate``. Run it before a site builder that runs no MkDocs hooks (Zensical);
``mkdocs build`` and ``mkdocs serve`` run it themselves (``docsgen/hooks.py``).
"""

from docsgen.generate import main

main()
