"""HTML reports: one page per student and a class dashboard, from the gradebook.

Data first, then rendering: ``render.build_*`` turns results into plain view data,
jinja2 templates (``templates/``) turn that into self-contained pages (styles inline,
images as data URIs) that work offline and can be published as they are.
"""
