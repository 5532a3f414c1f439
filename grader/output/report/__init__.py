"""HTML reports: one page per student and a class dashboard, from the gradebook.

Data first, then rendering: ``views`` turns results and grades (``grader.grades``) into
plain view dataclasses, ``plots`` turns loss curves into chart geometry, and the jinja2
templates (``templates/``, logic-free, autoescaped) turn those into self-contained pages
(styles and script inline, figures inline SVG or ``data:`` PNG) that work offline and can
be published as they are (``grader.output.publish``). ``render`` writes the files;
``grader.bench.rendering`` times it on a made-up class.
"""
