"""The output side: everything made from the gradebook for people and other systems.

* ``report``: HTML pages (a dashboard for instructors, one page per student);
* ``export``: grades for the LMS (CSV, Moodle worksheet, Canvas, Gradescope JSON);
* ``publish``: one unguessable folder per student holding only that student's page.

This package reads the gradebook (``grader.gradebook``, ``grader.grades``) and never
writes to it; nothing outside it imports it except the command line.
"""
