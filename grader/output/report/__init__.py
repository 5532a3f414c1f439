"""HTML reports: one page per student and a class dashboard, from the gradebook.

Data first, then rendering: ``views`` turns results and grades (``grader.grades``) into
plain view dataclasses (``causes`` groups a job's failed tests by what caused them and
finds the files that did not load; ``figures`` prepares a test's curves and images in the
page's language), ``dashboard`` and ``summaries`` do the same for the class page, and
``plots`` turns loss curves into chart geometry. The jinja2 templates (``templates/``,
logic-free, autoescaped) turn those into self-contained pages (styles and scripts inline,
figures inline SVG or ``data:`` PNG) that work offline, without script too, and can be
published as they are (``grader.output.publish``). ``render`` writes the files;
``grader.bench.rendering`` times it on a made-up class.
"""
