"""Training courses for parents and teachers: a course's sessions, participants, attendance, scores and
certificates. Who may see a course is `course_q` in prezent/activities/permissions.py (the app's people rules are
in one place). The pages are in the "activities" URL namespace."""
