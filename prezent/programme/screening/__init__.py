"""Screening into the programme: score the enrolled children of chosen schools, propose those at or above a
threshold for the target group, and record the coordinator's decision on each proposal. Pure rules in `logic.py`;
the run itself is the Celery task in prezent/programme/tasks.py, queued by the page. The pages are in the
"programme" URL namespace."""
